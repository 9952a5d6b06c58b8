import { Link, Outlet } from 'react-router';

import { canShop, useCurrentUser } from '@/stores/auth-store';

/** Admins operate the shop but cannot buy (the API refuses them a cart): the cart and checkout say so plainly. */
export function RequireShopper() {
  const user = useCurrentUser();
  if (canShop(user?.role)) return <Outlet />;
  return (
    <section className="status-page" aria-labelledby="not-for-admins-title">
      <title>Shopping · Edge Shop</title>
      <h1 id="not-for-admins-title">Admin accounts don’t shop</h1>
      <p className="status-page__text">To buy something, log in with a customer or seller account.</p>
      <div className="status-page__actions">
        <Link className="button button--primary" to="/admin">
          Go to the console
        </Link>
      </div>
    </section>
  );
}
