import { type ChangeEvent, type FormEvent, useRef, useState } from 'react';
import { Link } from 'react-router';

import { FormError, TextField } from '@/components/ui/form-field';
import { useRegister } from '@/features/auth/api/register';
import { useFieldErrors } from '@/hooks/use-field-errors';
import { getErrorMessage } from '@/lib/error-message';
import {
  compactErrors,
  type FieldErrors,
  focusFirstInvalid,
  hasErrors,
  serverFieldErrors,
  validateEmail,
  validateName,
  validatePassword,
} from '@/lib/validation';
import type { RegisteredUser } from '@/types/api';

const FIELDS = ['first_name', 'last_name', 'email', 'password'] as const;
type Field = (typeof FIELDS)[number];
type Values = Record<Field, string>;

export function validateRegistration(values: Values): FieldErrors<Field> {
  return compactErrors({
    first_name: validateName(values.first_name, 'your first name'),
    last_name: validateName(values.last_name, 'your last name'),
    email: validateEmail(values.email),
    password: validatePassword(values.password),
  });
}

export function RegisterForm({ onRegistered }: { onRegistered: (user: RegisteredUser) => void }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<Values>({ first_name: '', last_name: '', email: '', password: '' });
  const [errors, setErrors] = useFieldErrors<Field>(values);
  const register = useRegister({ onSuccess: onRegistered });

  const bind = (field: Field) => ({
    name: field,
    value: values[field],
    onChange: (e: ChangeEvent<HTMLInputElement>) => setValues((v) => ({ ...v, [field]: e.target.value })),
    error: errors[field],
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const next = validateRegistration(values);
    setErrors(next);
    if (hasErrors(next)) return focusFirstInvalid(formRef.current);
    register.mutate(
      {
        first_name: values.first_name.trim(),
        last_name: values.last_name.trim(),
        email: values.email.trim(),
        password: values.password,
      },
      {
        onError: (error) => {
          const fieldErrors = serverFieldErrors(error, FIELDS);
          setErrors(fieldErrors);
          focusFirstInvalid(formRef.current);
        },
      },
    );
  };

  const error = register.error;

  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} noValidate>
      <FormError message={error && !hasErrors(errors) ? getErrorMessage(error) : null} />
      <div className="form__row">
        <TextField label="First name" autoComplete="given-name" required maxLength={100} {...bind('first_name')} />
        <TextField label="Last name" autoComplete="family-name" required maxLength={100} {...bind('last_name')} />
      </div>
      <TextField label="Email" type="email" autoComplete="email" required {...bind('email')} />
      <TextField
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        hint="8–72 characters, with at least one letter and one digit."
        {...bind('password')}
      />
      <button type="submit" className="button button--primary button--block" disabled={register.isPending}>
        {register.isPending ? 'Creating account…' : 'Create account'}
      </button>
      <p className="form__links">
        <span>
          Already have an account? <Link to="/login">Log in</Link>
        </span>
      </p>
    </form>
  );
}
