import { type FormEvent, useRef, useState } from 'react';

import { FormError, TextField } from '@/components/ui/form-field';
import { getErrorMessage } from '@/lib/error-message';
import {
  compactErrors,
  type FieldErrors,
  focusFirstInvalid,
  hasErrors,
  serverFieldErrors,
  validateMax,
  validateRequired,
} from '@/lib/validation';
import type { Address, AddressInput } from '@/types/api';

const FIELDS = ['label', 'address_line1', 'address_line2', 'city', 'state', 'country', 'postal_code'] as const;
type Field = (typeof FIELDS)[number];

const toValues = (address?: Address): Record<Field, string> => ({
  label: address?.label ?? '',
  address_line1: address?.address_line1 ?? '',
  address_line2: address?.address_line2 ?? '',
  city: address?.city ?? '',
  state: address?.state ?? '',
  country: address?.country ?? '',
  postal_code: address?.postal_code ?? '',
});

export function validateAddressInput(values: Record<Field, string>): FieldErrors<Field> {
  return compactErrors({
    label: validateMax(values.label, 50),
    address_line1: validateRequired(values.address_line1, 'the street address', 255),
    address_line2: validateMax(values.address_line2, 255),
    city: validateRequired(values.city, 'the city', 100),
    state: validateMax(values.state, 100),
    country: validateRequired(values.country, 'the country', 100),
    postal_code: validateMax(values.postal_code, 20),
  });
}

interface AddressFormProps {
  address?: Address;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (input: AddressInput) => void;
  onCancel?: () => void;
}

/** Address fields (snake_case on the wire); optional fields are sent as null when blank. */
export function AddressForm({ address, submitLabel, pending, error, onSubmit, onCancel }: AddressFormProps) {
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState(() => toValues(address));
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const server = serverFieldErrors(error, FIELDS);
  const shown = { ...server, ...errors };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const next = validateAddressInput(values);
    setErrors(next);
    if (hasErrors(next)) return focusFirstInvalid(formRef.current);
    const blankToNull = (v: string) => v.trim() || null;
    onSubmit({
      label: blankToNull(values.label),
      address_line1: values.address_line1.trim(),
      address_line2: blankToNull(values.address_line2),
      city: values.city.trim(),
      state: blankToNull(values.state),
      country: values.country.trim(),
      postal_code: blankToNull(values.postal_code),
    });
  };

  const bind = (field: Field) => ({
    value: values[field],
    onChange: (e: { target: { value: string } }) => {
      setValues((v) => ({ ...v, [field]: e.target.value }));
      setErrors((current) => ({ ...current, [field]: undefined }));
    },
    error: shown[field],
  });

  return (
    <form ref={formRef} className="form card" onSubmit={submit} noValidate aria-label={submitLabel}>
      <FormError message={error && !hasErrors(server) ? getErrorMessage(error) : null} />
      <TextField label="Label" placeholder="Home, Work…" maxLength={50} {...bind('label')} />
      <TextField label="Street address" autoComplete="address-line1" required maxLength={255} {...bind('address_line1')} />
      <TextField label="Apartment, suite (optional)" autoComplete="address-line2" maxLength={255} {...bind('address_line2')} />
      <div className="form__row">
        <TextField label="City" autoComplete="address-level2" required maxLength={100} {...bind('city')} />
        <TextField label="State / region" autoComplete="address-level1" maxLength={100} {...bind('state')} />
      </div>
      <div className="form__row">
        <TextField label="Country" autoComplete="country-name" required maxLength={100} {...bind('country')} />
        <TextField label="Postal code" autoComplete="postal-code" maxLength={20} {...bind('postal_code')} />
      </div>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? 'Saving…' : submitLabel}
        </button>
        {onCancel ? (
          <button type="button" className="button button--secondary" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
