import { Link, useLocation, useNavigate } from 'react-router';

import { useLogout } from '@/features/auth/api/logout';

/**
 * The 403 view: a signed-in visitor whose role does not open the operator console (nothing of it was fetched). An
 * operator signed in with another account can switch accounts from here and come back to the page.
 */
export function ForbiddenMessage() {
  const navigate = useNavigate();
  const { pathname, search } = useLocation();
  const logout = useLogout({ onLoggedOut: () => void navigate(`/login?next=${encodeURIComponent(pathname + search)}`) });
  return (
    <section className="status-page" aria-labelledby="forbidden-title">
      <title>Access denied · Edge Shop</title>
      <p className="status-page__code" aria-hidden="true">
        403
      </p>
      <h1 id="forbidden-title">You don’t have access to this page</h1>
      <p className="status-page__text">This area is for the shop’s operators. If you think you should see it, ask an administrator.</p>
      <div className="status-page__actions">
        <Link className="button button--primary" to="/">
          Go to the home page
        </Link>
        <button type="button" className="button" disabled={logout.isPending} onClick={() => logout.mutate()}>
          Sign in with another account
        </button>
      </div>
    </section>
  );
}
