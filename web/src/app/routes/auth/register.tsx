import { useNavigate } from 'react-router';

import { AuthCard } from '@/components/layouts/auth-card';
import { RegisterForm } from '@/features/auth/components/register-form';
import { toast } from '@/stores/toast-store';

export function Component() {
  const navigate = useNavigate();
  return (
    <AuthCard title="Create an account" intro={<p>We will email you a 6-digit code to confirm your address.</p>}>
      <RegisterForm
        onRegistered={(user) => {
          toast.success('Account created. Check your email for the verification code.');
          void navigate(`/verify-email?email=${encodeURIComponent(user.email)}`);
        }}
      />
    </AuthCard>
  );
}
