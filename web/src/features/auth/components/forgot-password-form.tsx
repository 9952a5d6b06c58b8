import { type FormEvent, useRef, useState } from 'react';

import { FormError, TextField } from '@/components/ui/form-field';
import { useForgotPassword } from '@/features/auth/api/forgot-password';
import { getErrorMessage } from '@/lib/error-message';
import { focusFirstInvalid, validateEmail } from '@/lib/validation';

export function ForgotPasswordForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | undefined>();
  const forgot = useForgotPassword();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const emailError = validateEmail(email);
    setError(emailError);
    if (emailError) return focusFirstInvalid(formRef.current);
    forgot.mutate({ email: email.trim() });
  };

  if (forgot.isSuccess) {
    return (
      <p className="form__success" role="status">
        If an account exists for <strong>{email.trim()}</strong>, we have sent a link to reset its password. The link
        is valid for 30 minutes.
      </p>
    );
  }

  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} noValidate>
      <FormError message={forgot.error ? getErrorMessage(forgot.error) : null} />
      <TextField
        label="Email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={error}
      />
      <button type="submit" className="button button--primary button--block" disabled={forgot.isPending}>
        {forgot.isPending ? 'Sending…' : 'Send reset link'}
      </button>
    </form>
  );
}
