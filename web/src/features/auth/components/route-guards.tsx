import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';

import { useCurrentUser, useIsAuthenticated, type UserRole } from '@/stores/auth-store';

/** `/login?next=<this page>`, so logging in returns the shopper where they were headed. */
function LoginRedirect() {
  const { pathname, search } = useLocation();
  return <Navigate to={`/login?next=${encodeURIComponent(pathname + search)}`} replace />;
}

/** Pathless layout route for pages that need a session: logged-out visitors go to /login. */
export function RequireAuth() {
  return useIsAuthenticated() ? <Outlet /> : <LoginRedirect />;
}

/**
 * Lets `role` through to the nested routes; logged-out visitors go to /login, everyone else sees `otherwise`. The
 * nested pages (and so their API calls) only render once it passes.
 */
export function RequireRole({ role, otherwise }: { role: UserRole; otherwise: ReactNode }) {
  const isAuthenticated = useIsAuthenticated();
  const user = useCurrentUser();
  if (!isAuthenticated) return <LoginRedirect />;
  return user?.role === role ? <Outlet /> : otherwise;
}

/** Seller portal: logged-out visitors go to /login, everyone who is not a seller to the home page. */
export function RequireSeller() {
  return <RequireRole role="seller" otherwise={<Navigate to="/" replace />} />;
}

// The operator console's guard, RequireAdmin, is in its lazy route module (app/routes/admin/guard.tsx).

/**
 * Only same-site paths are followed after login: `next=https://evil.example` or `//evil.example` would turn the
 * login page into an open redirect.
 */
export function safeNextPath(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
