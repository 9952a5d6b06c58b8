import { type FormEvent, useRef, useState } from 'react';

import { FormError, TextField } from '@/components/ui/form-field';
import { useUpdateProfile } from '@/features/profile/api/update-profile';
import { getErrorMessage } from '@/lib/error-message';
import {
  compactErrors,
  type FieldErrors,
  focusFirstInvalid,
  hasErrors,
  serverFieldErrors,
  validateMax,
  validateName,
} from '@/lib/validation';
import type { UserProfile } from '@/types/api';

const FIELDS = ['first_name', 'last_name', 'phone'] as const;
type Field = (typeof FIELDS)[number];

export function ProfileForm({ profile }: { profile: UserProfile }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<Record<Field, string>>({
    first_name: profile.first_name,
    last_name: profile.last_name,
    phone: profile.phone ?? '',
  });
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const update = useUpdateProfile();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const next = compactErrors({
      first_name: validateName(values.first_name, 'your first name'),
      last_name: validateName(values.last_name, 'your last name'),
      phone: validateMax(values.phone, 20),
    });
    setErrors(next);
    if (hasErrors(next)) return focusFirstInvalid(formRef.current);
    update.mutate(
      { first_name: values.first_name.trim(), last_name: values.last_name.trim(), phone: values.phone.trim() || null },
      { onError: (error) => setErrors(serverFieldErrors(error, FIELDS)) },
    );
  };

  const bind = (field: Field) => ({
    value: values[field],
    onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: e.target.value })),
    error: errors[field],
  });

  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} noValidate aria-labelledby="profile-details-title">
      <h2 id="profile-details-title" className="section-title">
        Your details
      </h2>
      <FormError message={update.error && !hasErrors(errors) ? getErrorMessage(update.error) : null} />
      <p className="field__hint">Signed in as {profile.email}</p>
      <div className="form__row">
        <TextField label="First name" autoComplete="given-name" required maxLength={100} {...bind('first_name')} />
        <TextField label="Last name" autoComplete="family-name" required maxLength={100} {...bind('last_name')} />
      </div>
      <TextField label="Phone" type="tel" autoComplete="tel" maxLength={20} {...bind('phone')} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={update.isPending}>
          {update.isPending ? 'Saving…' : 'Save details'}
        </button>
      </div>
    </form>
  );
}
