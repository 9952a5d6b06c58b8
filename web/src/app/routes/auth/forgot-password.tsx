import { Link } from 'react-router';

import { AuthCard } from '@/components/layouts/auth-card';
import { ForgotPasswordForm } from '@/features/auth/components/forgot-password-form';

export function Component() {
  return (
    <AuthCard title="Reset your password" intro={<p>Enter your email and we will send you a link to choose a new password.</p>}>
      <ForgotPasswordForm />
      <p className="form__links">
        <Link to="/login">Back to log in</Link>
      </p>
    </AuthCard>
  );
}
