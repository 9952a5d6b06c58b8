import { type FormEvent, useRef, useState } from 'react';

import { FormError, TextField } from '@/components/ui/form-field';
import { useCountries } from '@/lib/countries';
import { type AddressField, AddressFields, addressValuesOf, EMPTY_ADDRESS, validateAddressValues } from '@/components/ui/address-fields';
import { getErrorMessage } from '@/lib/error-message';
import { compactErrors, type FieldErrors, focusFirstInvalid, hasErrors, renameFields, serverFieldErrors, validateMax } from '@/lib/validation';
import type { Address, AddressInput } from '@/types/api';

/** Server field names → the shared form's fields. */
const SERVER_FIELDS = {
  recipient_name: 'recipientName',
  phone: 'phone',
  address_line1: 'line1',
  address_line2: 'line2',
  city: 'city',
  state: 'state',
  country: 'country',
  postal_code: 'postalCode',
} as const satisfies Record<string, AddressField>;

interface AddressFormProps {
  address?: Address;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (input: AddressInput) => void;
  onCancel?: () => void;
}

/** Address fields; optional fields are sent as null when blank. */
export function AddressForm({ address, submitLabel, pending, error, onSubmit, onCancel }: AddressFormProps) {
  const formRef = useRef<HTMLFormElement>(null);
  const countries = useCountries();
  const [label, setLabel] = useState(address?.label ?? '');
  const [values, setValues] = useState(() => (address ? addressValuesOf(address) : EMPTY_ADDRESS));
  const [errors, setErrors] = useState<FieldErrors<AddressField | 'label'>>({});
  const server = renameFields(serverFieldErrors(error, ['label', ...Object.keys(SERVER_FIELDS)]), { ...SERVER_FIELDS, label: 'label' });
  const shown = { ...server, ...errors };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const next = { ...validateAddressValues(values, countries.data, { postalCodeRequired: false }), ...compactErrors({ label: validateMax(label, 50) }) };
    setErrors(next);
    if (hasErrors(next)) return focusFirstInvalid(formRef.current);
    const blankToNull = (v: string) => v.trim() || null;
    onSubmit({
      label: blankToNull(label),
      recipient_name: blankToNull(values.recipientName),
      phone: blankToNull(values.phone),
      address_line1: values.line1.trim(),
      address_line2: blankToNull(values.line2),
      city: values.city.trim(),
      state: blankToNull(values.state),
      country: values.country.trim(),
      postal_code: blankToNull(values.postalCode),
    });
  };

  const change = (field: AddressField, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors((current) => ({ ...current, [field]: undefined }));
  };

  return (
    <form ref={formRef} className="form card" onSubmit={submit} noValidate aria-label={submitLabel}>
      <FormError message={error && !hasErrors(server) ? getErrorMessage(error) : null} />
      <TextField
        label="Label"
        placeholder="Home, Work…"
        maxLength={50}
        value={label}
        onChange={(e) => {
          setLabel(e.target.value);
          setErrors((current) => ({ ...current, label: undefined }));
        }}
        error={shown.label}
      />
      <AddressFields values={values} errors={shown} onChange={change} postalCodeRequired={false} />
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
