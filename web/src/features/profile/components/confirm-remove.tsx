import { useState } from 'react';

interface ConfirmRemoveProps {
  /** The first button, e.g. "Delete"; `name` follows it for screen readers. */
  label: string;
  confirmLabel: string;
  name: string;
  pending: boolean;
  onConfirm: () => void;
}

/** A saved item's two-step removal: the first click asks, the second removes, "Keep" backs out. */
export function ConfirmRemove({ label, confirmLabel, name, pending, onConfirm }: ConfirmRemoveProps) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button type="button" className="button button--danger button--small" onClick={() => setConfirming(true)}>
        {label}
        <span className="visually-hidden"> {name}</span>
      </button>
    );
  }
  return (
    <span className="inline-confirm">
      <button type="button" className="button button--danger button--small" disabled={pending} onClick={onConfirm}>
        {confirmLabel}
      </button>
      <button type="button" className="button button--secondary button--small" onClick={() => setConfirming(false)}>
        Keep
      </button>
    </span>
  );
}
