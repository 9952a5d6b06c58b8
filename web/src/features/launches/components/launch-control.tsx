import { useState, type FormEvent } from 'react';

import { FormError, TextField } from '@/components/ui/form-field';
import { useLaunch, useLaunchWrites } from '@/features/launches/api/launches';
import { getErrorMessage } from '@/lib/error-message';

/** `datetime-local` wants local time without a zone. */
const toLocalInput = (iso: string) => {
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

/** The seller's launch switch on a product: when admissions start and how many buyers a second are let in. */
export function LaunchControl({ productId }: { productId: number }) {
  const launch = useLaunch(productId);
  const { save, end } = useLaunchWrites(productId);
  const current = launch.data ?? null;
  const [startsAt, setStartsAt] = useState('');
  const [rate, setRate] = useState('');

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const start = startsAt || (current ? toLocalInput(current.startsAt) : toLocalInput(new Date().toISOString()));
    save.mutate({ startsAt: new Date(start).toISOString(), admitPerSecond: Number(rate || current?.admitPerSecond || 5), perClientLimit: current?.perClientLimit ?? 4, maxQuantity: current?.maxQuantity ?? 1 });
  };

  return (
    <section className="card" aria-labelledby="launch-title">
      <h2 id="launch-title">Launch</h2>
      <p className="form__note">
        {current ? `A launch is set: buyers join a line and are let in ${current.admitPerSecond} a second.` : 'Sell this product through a waiting room: buyers are let in first come, first served.'}
      </p>
      <form className="form" onSubmit={onSubmit}>
        <TextField label="Admissions start" type="datetime-local" value={startsAt || (current ? toLocalInput(current.startsAt) : '')} onChange={(e) => setStartsAt(e.target.value)} hint="Left empty: now" />
        <TextField label="Buyers let in per second" type="number" min={1} max={1000} value={rate || String(current?.admitPerSecond ?? 5)} onChange={(e) => setRate(e.target.value)} />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={save.isPending}>
            {current ? 'Update launch' : 'Start launch'}
          </button>
          {current ? (
            <button type="button" className="button" onClick={() => end.mutate()} disabled={end.isPending}>
              End launch
            </button>
          ) : null}
        </div>
        <FormError message={save.isError || end.isError ? getErrorMessage(save.error ?? end.error) : null} />
      </form>
    </section>
  );
}
