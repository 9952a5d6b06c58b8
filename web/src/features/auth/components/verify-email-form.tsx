import { type FormEvent, useRef, useState } from 'react';

import { verificationCode } from '@contract/identity';
import { FormError, TextField } from '@/components/ui/form-field';
import { useResendVerification, useVerifyEmail } from '@/features/auth/api/verify-email';
import { useFieldErrors } from '@/hooks/use-field-errors';
import { getErrorMessage } from '@/lib/error-message';
import {
  checkWith,
  compactErrors,
  focusFirstInvalid,
  hasErrors,
  serverFieldErrors,
  validateEmail,
} from '@/lib/validation';
import { toast } from '@/stores/toast-store';

const FIELDS = ['email', 'code'] as const;
type Field = (typeof FIELDS)[number];

export function VerifyEmailForm({ initialEmail, onVerified }: { initialEmail: string; onVerified: () => void }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [email, setEmail] = useState(initialEmail);
  const [code, setCode] = useState('');
  const [errors, setErrors] = useFieldErrors<Field>({ email, code });
  const verify = useVerifyEmail({ onSuccess: onVerified });
  const resend = useResendVerification({ onSuccess: () => toast.success('If that address needs verifying, a new code is on its way.') });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const next = compactErrors({
      email: validateEmail(email),
      code: checkWith(verificationCode(), code.trim()) && 'Enter the 6-digit code from the email.',
    });
    setErrors(next);
    if (hasErrors(next)) return focusFirstInvalid(formRef.current);
    verify.mutate(
      { email: email.trim(), code: code.trim() },
      { onError: (error) => setErrors(serverFieldErrors(error, FIELDS)) },
    );
  };

  const onResend = () => {
    const emailError = validateEmail(email);
    if (emailError) {
      setErrors({ email: emailError });
      return focusFirstInvalid(formRef.current);
    }
    resend.mutate({ email: email.trim() });
  };

  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} noValidate>
      <FormError message={verify.error && !hasErrors(errors) ? getErrorMessage(verify.error) : null} />
      <TextField
        label="Email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={errors.email}
      />
      <TextField
        label="Verification code"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="\d{6}"
        maxLength={6}
        required
        value={code}
        onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
        error={errors.code}
        hint="The 6-digit code we emailed you. It is valid for 15 minutes."
      />
      <button type="submit" className="button button--primary button--block" disabled={verify.isPending}>
        {verify.isPending ? 'Verifying…' : 'Verify email'}
      </button>
      <button type="button" className="button button--secondary button--block" onClick={onResend} disabled={resend.isPending}>
        {resend.isPending ? 'Sending…' : 'Send a new code'}
      </button>
    </form>
  );
}
