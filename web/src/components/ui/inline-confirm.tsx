import { useState, type ReactNode } from 'react';

interface InlineConfirmProps {
  /** The button that opens the question, e.g. "Delete". */
  label: ReactNode;
  /** Follows `label` for screen readers only (which row's "Delete" this is). */
  name?: string;
  /** Shown before the buttons and names their group; left out, the buttons stand alone. */
  question?: string;
  confirmLabel: string;
  /** The confirm button's text while `pending`. */
  pendingLabel?: string;
  /**
   * Acts. The question closes when the returned promise settles (a mutation's `mutateAsync`), or at once when
   * nothing is returned. A rejection is the caller's to show (the mutation's error state); it only closes here.
   */
  onConfirm: () => Promise<unknown> | void;
  pending?: boolean;
  /** Red buttons for what cannot be undone; the primary colour otherwise. */
  danger?: boolean;
  disabled?: boolean;
  /** The button that backs out. */
  keepLabel?: string;
  /** The opening button's classes when it differs from the confirm button (a full-size secondary button). */
  triggerClassName?: string;
}

/**
 * The shop's "are you sure?": the first click asks, the second acts, "Keep" backs out. Nothing irreversible is one
 * click, and the question stays in place (no dialog to trap focus in).
 */
export function InlineConfirm({ label, name, question, confirmLabel, pendingLabel = 'Working…', onConfirm, pending = false, danger = false, disabled = false, keepLabel = 'Keep', triggerClassName }: InlineConfirmProps) {
  const [asking, setAsking] = useState(false);
  const buttonClass = `button ${danger ? 'button--danger' : 'button--primary'} button--small`;
  if (!asking) {
    return (
      <button type="button" className={triggerClassName ?? buttonClass} disabled={disabled || pending} onClick={() => setAsking(true)}>
        {label}
        {name ? <span className="visually-hidden"> {name}</span> : null}
      </button>
    );
  }
  const confirm = () => {
    const acting = onConfirm();
    if (acting) void acting.catch(() => undefined).finally(() => setAsking(false));
    else setAsking(false);
  };
  return (
    <span className="inline-confirm" {...(question ? { role: 'group', 'aria-label': question } : {})}>
      {question ? <span>{question}</span> : null}
      <button type="button" className={buttonClass} disabled={pending} onClick={confirm}>
        {pending ? pendingLabel : confirmLabel}
      </button>
      <button type="button" className="button button--secondary button--small" onClick={() => setAsking(false)}>
        {keepLabel}
      </button>
    </span>
  );
}
