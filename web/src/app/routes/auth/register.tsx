import { useNavigate, useSearchParams } from 'react-router';

import { AuthCard } from '@/components/layouts/auth-card';
import { RegisterForm } from '@/features/auth/components/register-form';
import { safeNextPath } from '@/features/auth/components/route-guards';
import { toast } from '@/stores/toast-store';

export function Component() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  return (
    <AuthCard title="Create an account" intro={<p>We will email you a 6-digit code to confirm your address.</p>}>
      <RegisterForm
        onRegistered={(user) => {
          toast.success('Account created. Check your email for the verification code.');
          void navigate(`/verify-email?${new URLSearchParams(next === '/' ? { email: user.email } : { email: user.email, next }).toString()}`);
        }}
      />
    </AuthCard>
  );
}
