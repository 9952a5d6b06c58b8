import { FormError } from '@/components/ui/form-field';
import { type useJoinLine } from '@/features/launches/api/launches';
import { useTurnstile, type TurnstileStatus } from '@/features/launches/api/turnstile';

const PROBLEM: Partial<Record<TurnstileStatus, string>> = {
  expired: 'The browser check expired before you joined. Check again to join the line.',
  error: 'The browser check could not run. Check your connection, then check again.',
};

interface JoinLineProps {
  /** The launch's Turnstile site key, or null when the shop asks for no check (local, tests). */
  siteKey: string | null;
  label: string;
  join: ReturnType<typeof useJoinLine>;
}

/** The join button, behind the Turnstile challenge when the launch asks for one; its token goes with the join. */
export function JoinLine({ siteKey, label, join }: JoinLineProps) {
  const check = useTurnstile(siteKey);
  const waitingForCheck = check.status !== 'off' && !check.token;
  // A token passes siteverify once: a refused join needs a fresh challenge.
  const onJoin = () => join.mutate(check.token ?? undefined, { onError: check.status === 'off' ? undefined : check.retry });
  const problem = PROBLEM[check.status];

  return (
    <div className="join-line">
      {check.status === 'off' ? null : (
        <>
          <p className="form__note">{check.status === 'loading' ? 'Loading the browser check…' : 'A quick browser check keeps bots out of the line.'}</p>
          <div ref={check.containerRef} className="join-line__challenge" data-testid="turnstile" />
          <FormError message={problem} />
          {problem ? (
            <button type="button" className="button button--secondary" onClick={check.retry}>
              Check again
            </button>
          ) : null}
        </>
      )}
      <button type="button" className="button button--primary button--large" onClick={onJoin} disabled={join.isPending || waitingForCheck}>
        {join.isPending ? 'Joining…' : label}
      </button>
    </div>
  );
}
