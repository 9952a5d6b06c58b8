import { useNavigate, useSearchParams } from 'react-router';

import { AuthCard } from '@/components/layouts/auth-card';
import { LoginForm } from '@/features/auth/components/login-form';
import { safeNextPath } from '@/features/auth/components/route-guards';
import { toast } from '@/stores/toast-store';

export function Component() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNextPath(params.get('next'));

  return (
    <AuthCard title="Log in" intro={<p>Welcome back. Log in to see your cart, orders and notifications.</p>}>
      <LoginForm
        initialEmail={params.get('email') ?? ''}
        registerHref={next === '/' ? '/register' : `/register?${new URLSearchParams({ next }).toString()}`}
        onLoggedIn={(session) => {
          toast.success(`Welcome back, ${session.user.first_name}!`);
          void navigate(next, { replace: true });
        }}
      />
    </AuthCard>
  );
}
