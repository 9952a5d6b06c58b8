import { Link, NavLink, useNavigate } from 'react-router';

import { LogoMark } from '@/components/ui/icons';
import { LiveIndicator } from '@/components/ui/live-indicator';
import { ThemeToggle } from '@/components/ui/theme-toggle';
import { useLogout } from '@/features/auth/api/logout';
import { CartBadge } from '@/features/cart/components/cart-badge';
import { NotificationBell } from '@/features/notifications/components/notification-bell';
import { canShop, useCurrentUser, useIsAuthenticated } from '@/stores/auth-store';

function AccountLinks() {
  const isAuthenticated = useIsAuthenticated();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const logout = useLogout({ onLoggedOut: () => void navigate('/') });

  if (!isAuthenticated || !user) {
    return (
      <ul className="account-links" aria-label="Account">
        <li>
          <NavLink className="account-links__link" to="/login">
            Log in
          </NavLink>
        </li>
        <li>
          <NavLink className="button button--primary button--small" to="/register">
            Register
          </NavLink>
        </li>
      </ul>
    );
  }

  return (
    <ul className="account-links" aria-label="Account">
      <li>
        <LiveIndicator />
      </li>
      <li>
        <NotificationBell />
      </li>
      {canShop(user.role) ? (
        <li>
          <CartBadge />
        </li>
      ) : null}
      <li className="account-links__greeting" title={user.email}>
        Hi, {user.first_name}
      </li>
      <li>
        <button
          type="button"
          className="button button--secondary button--small"
          onClick={() => logout.mutate()}
          disabled={logout.isPending}
        >
          Log out
        </button>
      </li>
    </ul>
  );
}

/** Signed-in links in the main nav: orders and profile for everyone, the seller portal for sellers. */
function UserNavLinks() {
  const isAuthenticated = useIsAuthenticated();
  const user = useCurrentUser();
  if (!isAuthenticated || !user) return null;
  return (
    <>
      <li>
        <NavLink className="site-nav__link" to="/orders">
          Orders
        </NavLink>
      </li>
      <li>
        <NavLink className="site-nav__link" to="/profile">
          Profile
        </NavLink>
      </li>
      {user.role === 'seller' ? (
        <>
          <li>
            <NavLink className="site-nav__link" to="/seller/products">
              My Products
            </NavLink>
          </li>
          <li>
            <NavLink className="site-nav__link" to="/seller/orders">
              Seller Orders
            </NavLink>
          </li>
          <li>
            <NavLink className="site-nav__link" to="/seller/shipping">
              Shipping
            </NavLink>
          </li>
          <li>
            <NavLink className="site-nav__link" to="/seller/promotions">
              Promotions
            </NavLink>
          </li>
          <li>
            <NavLink className="site-nav__link" to="/seller/earnings">
              Earnings
            </NavLink>
          </li>
        </>
      ) : null}
      {user.role === 'admin' ? (
        <li>
          <NavLink className="site-nav__link" to="/admin">
            Admin
          </NavLink>
        </li>
      ) : null}
    </>
  );
}

export function SiteHeader() {
  return (
    <header className="site-header">
      <div className="site-header__inner container">
        <Link className="site-logo" to="/">
          <LogoMark />
          <span>Edge Shop</span>
        </Link>
        <nav className="site-nav" aria-label="Main">
          <ul className="site-nav__list">
            <li>
              <NavLink className="site-nav__link" to="/categories">
                Categories
              </NavLink>
            </li>
            <li>
              <NavLink className="site-nav__link" to="/products">
                Products
              </NavLink>
            </li>
            <UserNavLinks />
          </ul>
        </nav>
        <div className="site-header__theme">
          <ThemeToggle />
        </div>
        <div className="site-header__account">
          <AccountLinks />
        </div>
      </div>
    </header>
  );
}
