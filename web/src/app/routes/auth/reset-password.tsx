import { Link, useNavigate, useSearchParams } from 'react-router';

import { AuthCard } from '@/components/layouts/auth-card';
import { EmptyState } from '@/components/ui/empty-state';
import { ResetPasswordForm } from '@/features/auth/components/reset-password-form';
import { toast } from '@/stores/toast-store';

export function Component() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const token = params.get('token');
  const email = params.get('email');

  return (
    <AuthCard title="Choose a new password">
      {token && email ? (
        <ResetPasswordForm
          email={email}
          token={token}
          onReset={() => {
            toast.success('Password changed. Log in with your new password.');
            void navigate('/login', { replace: true });
          }}
        />
      ) : (
        <EmptyState
          title="This reset link is incomplete."
          action={
            <Link className="button button--primary" to="/forgot-password">
              Request a new link
            </Link>
          }
        >
          <p>Open the link from the email again, or request a new one.</p>
        </EmptyState>
      )}
    </AuthCard>
  );
}
