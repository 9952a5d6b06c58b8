import { type FormEvent, useRef, useState } from 'react';

import { FormError, TextField } from '@/components/ui/form-field';
import { useResetPassword } from '@/features/auth/api/reset-password';
import { useFieldErrors } from '@/hooks/use-field-errors';
import { getErrorMessage } from '@/lib/error-message';
import {
  compactErrors,
  focusFirstInvalid,
  hasErrors,
  serverFieldErrors,
  validatePassword,
} from '@/lib/validation';

const FIELDS = ['password', 'confirm'] as const;
type Field = (typeof FIELDS)[number];

export function ResetPasswordForm({ email, token, onReset }: { email: string; token: string; onReset: () => void }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useFieldErrors<Field>({ password, confirm });
  const reset = useResetPassword({ onSuccess: onReset });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const next = compactErrors({
      password: validatePassword(password),
      confirm: confirm === password ? undefined : 'The passwords do not match.',
    });
    setErrors(next);
    if (hasErrors(next)) return focusFirstInvalid(formRef.current);
    reset.mutate({ email, token, password }, { onError: (error) => setErrors(serverFieldErrors(error, FIELDS)) });
  };

  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} noValidate>
      <FormError message={reset.error && !hasErrors(errors) ? getErrorMessage(reset.error) : null} />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        hint="8–72 characters, with at least one letter and one digit."
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errors.password}
      />
      <TextField
        label="Confirm new password"
        type="password"
        autoComplete="new-password"
        required
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
        error={errors.confirm}
      />
      <button type="submit" className="button button--primary button--block" disabled={reset.isPending}>
        {reset.isPending ? 'Saving…' : 'Set new password'}
      </button>
    </form>
  );
}
