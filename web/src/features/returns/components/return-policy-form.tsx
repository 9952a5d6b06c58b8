import { type FormEvent, useState } from 'react';

import { returnWindowDays } from '@contract/returns';
import { TextField } from '@/components/ui/form-field';
import { useReturnPolicy, useSetReturnPolicy } from '@/features/returns/api/returns';
import { checkWith } from '@/lib/validation';

/** The seller's return window in days after delivery (0–365; 0 accepts no returns). */
export function ReturnPolicyForm() {
  const policy = useReturnPolicy();
  const save = useSetReturnPolicy();
  const [days, setDays] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const shown = days ?? (policy.data ? String(policy.data.returnWindowDays) : '');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = Number(shown);
    // The server's rule (`@contract/returns`); worded here.
    if (checkWith(returnWindowDays(), value)) {
      setError('Use a whole number of days from 0 to 365.');
      return;
    }
    setError(undefined);
    save.mutate({ returnWindowDays: value }, { onSuccess: () => setDays(null) });
  };

  return (
    <form className="card form" aria-label="Return policy" onSubmit={submit} noValidate>
      <TextField
        label="Return window (days after delivery)"
        type="number"
        inputMode="numeric"
        min={0}
        max={365}
        value={shown}
        disabled={policy.isPending}
        hint="0 accepts no returns."
        error={error}
        onChange={(e) => setDays(e.target.value)}
      />
      <button type="submit" className="button button--secondary" disabled={save.isPending || policy.isPending}>
        {save.isPending ? 'Saving…' : 'Save return window'}
      </button>
    </form>
  );
}
