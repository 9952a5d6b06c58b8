import { useNavigate, useSearchParams } from 'react-router';

import { AuthCard } from '@/components/layouts/auth-card';
import { safeNextPath } from '@/features/auth/components/route-guards';
import { VerifyEmailForm } from '@/features/auth/components/verify-email-form';
import { toast } from '@/stores/toast-store';

export function Component() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  return (
    <AuthCard title="Verify your email" intro={<p>Enter the code we sent to finish setting up your account.</p>}>
      <VerifyEmailForm
        initialEmail={params.get('email') ?? ''}
        onVerified={() => {
          // The answer carries a session: the new account is signed in and goes where it was going.
          toast.success('Email verified. You are signed in.');
          void navigate(safeNextPath(params.get('next')), { replace: true });
        }}
      />
    </AuthCard>
  );
}
