import { useState } from 'react';

interface ConfirmActionProps {
  /** The button that opens the confirmation, e.g. "Cancel order". */
  label: string;
  /** The question shown next to the confirm button. */
  question: string;
  confirmLabel: string;
  pendingLabel?: string;
  onConfirm: () => void;
  pending?: boolean;
  danger?: boolean;
  disabled?: boolean;
}

/** A two-step action: the first click asks, the second acts; "Keep" backs out. Nothing irreversible is one click. */
export function ConfirmAction({ label, question, confirmLabel, pendingLabel = 'Working…', onConfirm, pending = false, danger = false, disabled = false }: ConfirmActionProps) {
  const [asking, setAsking] = useState(false);
  const tone = danger ? 'button--danger' : 'button--primary';
  if (!asking) {
    return (
      <button type="button" className={`button ${tone} button--small`} disabled={disabled || pending} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="inline-confirm" role="group" aria-label={question}>
      <span>{question}</span>
      <button
        type="button"
        className={`button ${tone} button--small`}
        disabled={pending}
        onClick={() => {
          onConfirm();
          setAsking(false);
        }}
      >
        {pending ? pendingLabel : confirmLabel}
      </button>
      <button type="button" className="button button--secondary button--small" onClick={() => setAsking(false)}>
        Keep
      </button>
    </span>
  );
}
