import { useNavigate, useSearchParams } from 'react-router';

import { AuthCard } from '@/components/layouts/auth-card';
import { VerifyEmailForm } from '@/features/auth/components/verify-email-form';
import { toast } from '@/stores/toast-store';

export function Component() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  return (
    <AuthCard title="Verify your email" intro={<p>Enter the code we sent to finish setting up your account.</p>}>
      <VerifyEmailForm
        initialEmail={params.get('email') ?? ''}
        onVerified={(email) => {
          toast.success('Email verified. You can log in now.');
          void navigate(`/login?email=${encodeURIComponent(email)}`);
        }}
      />
    </AuthCard>
  );
}
