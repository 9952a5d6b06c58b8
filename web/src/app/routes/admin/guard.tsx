import { ForbiddenMessage } from '@/app/routes/admin/forbidden';
import { RequireRole } from '@/features/auth/components/route-guards';

/**
 * Operator console guard, a lazy route module of its own (with the 403 page) so shopper routes never download
 * either: logged-out visitors go to /login, any other role sees the 403 page. The console's pages (and so their API
 * calls) only render behind it, so no admin data is requested for a non-admin.
 */
export function RequireAdmin() {
  return <RequireRole role="admin" otherwise={<ForbiddenMessage />} />;
}

export { RequireAdmin as Component };
