import { useId, useState } from 'react';

interface QuantityStepperProps {
  value: number;
  min?: number;
  max: number;
  onChange: (value: number) => void;
  label: string;
  disabled?: boolean;
}

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), Math.max(min, max));

/**
 * − / number / + with the typed value clamped to [min, max] (max = available stock, or 999 per cart line). A typed
 * value outside the range is never changed silently: a note says what the quantity became and why.
 */
export function QuantityStepper({ value, min = 1, max, onChange, label, disabled }: QuantityStepperProps) {
  const id = useId();
  const [notice, setNotice] = useState<string | null>(null);
  const limit = Math.max(min, max);
  const change = (next: number) => {
    setNotice(next > limit ? `Only ${limit} available, so the quantity is ${limit}.` : next < min ? `The quantity is at least ${min}.` : null);
    onChange(clamp(next, min, max));
  };
  return (
    <>
      <div className="stepper">
        <label className="visually-hidden" htmlFor={id}>
          {label}
        </label>
        <button
          type="button"
          className="stepper__button"
          aria-label={`Decrease ${label.toLowerCase()}`}
          onClick={() => change(value - 1)}
          disabled={disabled || value <= min}
        >
          −
        </button>
        <input
          id={id}
          className="stepper__input"
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          value={value}
          disabled={disabled}
          onChange={(event) => {
            const parsed = Number.parseInt(event.target.value, 10);
            if (Number.isFinite(parsed)) change(parsed);
          }}
        />
        <button
          type="button"
          className="stepper__button"
          aria-label={`Increase ${label.toLowerCase()}`}
          onClick={() => change(value + 1)}
          disabled={disabled || value >= max}
        >
          +
        </button>
      </div>
      {notice ? (
        <p className="field__hint" role="status">
          {notice}
        </p>
      ) : null}
    </>
  );
}
