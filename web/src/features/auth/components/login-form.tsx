import { type FormEvent, useRef, useState } from 'react';
import { Link } from 'react-router';

import { FormError, TextField } from '@/components/ui/form-field';
import { useLogin } from '@/features/auth/api/login';
import { useFieldErrors } from '@/hooks/use-field-errors';
import { isApiError } from '@/lib/api-client';
import { getErrorMessage } from '@/lib/error-message';
import {
  compactErrors,
  focusFirstInvalid,
  hasErrors,
  serverFieldErrors,
  validateEmail,
} from '@/lib/validation';
import type { AuthSession } from '@/stores/auth-store';

const FIELDS = ['email', 'password'] as const;
type Field = (typeof FIELDS)[number];

/** `registerHref` keeps where the visitor was going when they create an account instead. */
export function LoginForm({ initialEmail = '', registerHref = '/register', onLoggedIn }: { initialEmail?: string; registerHref?: string; onLoggedIn: (session: AuthSession) => void }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useFieldErrors<Field>({ email, password });
  const login = useLogin({ onSuccess: onLoggedIn });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // Login checks presence only: a stricter rule here would lock out accounts made under an older policy.
    const next = compactErrors({
      email: validateEmail(email),
      password: password ? undefined : 'Enter your password.',
    });
    setErrors(next);
    if (hasErrors(next)) return focusFirstInvalid(formRef.current);
    login.mutate(
      { email: email.trim(), password },
      { onError: (error) => setErrors(serverFieldErrors(error, FIELDS)) },
    );
  };

  const error = login.error;
  const notVerified = isApiError(error) && error.code === 'EMAIL_NOT_VERIFIED';

  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} noValidate>
      <FormError message={error && !hasErrors(errors) ? getErrorMessage(error) : null} />
      {notVerified ? (
        <p className="form__note">
          <Link to={`/verify-email?email=${encodeURIComponent(email.trim())}`}>Verify your email address</Link> to
          finish creating your account.
        </p>
      ) : null}
      <TextField
        label="Email"
        type="email"
        name="email"
        autoComplete="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={errors.email}
      />
      <TextField
        label="Password"
        type="password"
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errors.password}
      />
      <button type="submit" className="button button--primary button--block" disabled={login.isPending}>
        {login.isPending ? 'Logging in…' : 'Log in'}
      </button>
      <p className="form__links">
        <Link to="/forgot-password">Forgot your password?</Link>
        <span>
          New here? <Link to={registerHref}>Create an account</Link>
        </span>
      </p>
    </form>
  );
}
