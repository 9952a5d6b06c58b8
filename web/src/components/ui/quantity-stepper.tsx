import { useId } from 'react';

interface QuantityStepperProps {
  value: number;
  min?: number;
  max: number;
  onChange: (value: number) => void;
  label: string;
  disabled?: boolean;
}

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), Math.max(min, max));

/** − / number / + with the typed value clamped to [min, max] (max = available stock, or 999 per cart line). */
export function QuantityStepper({ value, min = 1, max, onChange, label, disabled }: QuantityStepperProps) {
  const id = useId();
  return (
    <div className="stepper">
      <label className="visually-hidden" htmlFor={id}>
        {label}
      </label>
      <button
        type="button"
        className="stepper__button"
        aria-label={`Decrease ${label.toLowerCase()}`}
        onClick={() => onChange(clamp(value - 1, min, max))}
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
          if (Number.isFinite(parsed)) onChange(clamp(parsed, min, max));
        }}
      />
      <button
        type="button"
        className="stepper__button"
        aria-label={`Increase ${label.toLowerCase()}`}
        onClick={() => onChange(clamp(value + 1, min, max))}
        disabled={disabled || value >= max}
      >
        +
      </button>
    </div>
  );
}
