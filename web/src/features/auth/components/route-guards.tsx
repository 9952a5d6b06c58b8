import { Navigate, Outlet, useLocation } from 'react-router';

import { ForbiddenMessage } from '@/components/errors/forbidden-message';
import { useCurrentUser, useIsAuthenticated } from '@/stores/auth-store';

/** `/login?next=<this page>`, so logging in returns the shopper where they were headed. */
function LoginRedirect() {
  const { pathname, search } = useLocation();
  return <Navigate to={`/login?next=${encodeURIComponent(pathname + search)}`} replace />;
}

/** Pathless layout route for pages that need a session: logged-out visitors go to /login. */
export function RequireAuth() {
  return useIsAuthenticated() ? <Outlet /> : <LoginRedirect />;
}

/** Seller portal: logged-out visitors go to /login, everyone who is not a seller to the home page. */
export function RequireSeller() {
  const isAuthenticated = useIsAuthenticated();
  const user = useCurrentUser();
  if (!isAuthenticated) return <LoginRedirect />;
  return user?.role === 'seller' ? <Outlet /> : <Navigate to="/" replace />;
}

/**
 * Operator console: logged-out visitors go to /login, any other role sees the 403 page. The console's pages (and
 * so its API calls) only render behind this guard, so no admin data is requested for a non-admin.
 */
export function RequireAdmin() {
  const isAuthenticated = useIsAuthenticated();
  const user = useCurrentUser();
  if (!isAuthenticated) return <LoginRedirect />;
  return user?.role === 'admin' ? <Outlet /> : <ForbiddenMessage />;
}

/**
 * Only same-site paths are followed after login: `next=https://evil.example` or `//evil.example` would turn the
 * login page into an open redirect.
 */
export function safeNextPath(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
