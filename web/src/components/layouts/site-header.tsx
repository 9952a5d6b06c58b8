import { useId, useState } from 'react';
import { Link, NavLink, useLocation, useNavigate } from 'react-router';

import { CloseIcon, LogoMark, MenuIcon } from '@/components/ui/icons';
import { LiveIndicator } from '@/components/ui/live-indicator';
import { ThemeToggle } from '@/components/ui/theme-toggle';
import { useLogout } from '@/features/auth/api/logout';
import { CartBadge } from '@/features/cart/components/cart-badge';
import { NotificationBell } from '@/features/notifications/components/notification-bell';
import { canShop, useCurrentUser, useIsAuthenticated } from '@/stores/auth-store';

function AccountLinks() {
  const isAuthenticated = useIsAuthenticated();
  const user = useCurrentUser();

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
      <li className="account-links__logout">
        <LogoutButton />
      </li>
    </ul>
  );
}

function LogoutButton() {
  const navigate = useNavigate();
  const logout = useLogout({ onLoggedOut: () => void navigate('/') });
  return (
    <button type="button" className="button button--secondary button--small" onClick={() => logout.mutate()} disabled={logout.isPending}>
      Log out
    </button>
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
        <li>
          {/* Active on every /seller/… page; the portal's own tabs are in SellerLayout. */}
          <NavLink className="site-nav__link" to="/seller">
            Seller portal
          </NavLink>
        </li>
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

/**
 * On phones the header is one sticky row: logo, bell, cart and a Menu button that opens the navigation, the theme and
 * (signed in) the greeting and Log out. From tablet width everything is in one row and the Menu button is gone.
 */
export function SiteHeader() {
  const [menuOpen, setMenuOpen] = useState(false);
  const { pathname } = useLocation();
  const user = useCurrentUser();
  const menuId = useId();
  // Following a link closes the menu.
  const [shownFor, setShownFor] = useState(pathname);
  if (shownFor !== pathname) {
    setShownFor(pathname);
    setMenuOpen(false);
  }
  return (
    <header className="site-header" data-menu-open={menuOpen || undefined}>
      <div className="site-header__inner container">
        <Link className="site-logo" to="/">
          <LogoMark />
          <span>Edge Shop</span>
        </Link>
        <button type="button" className="site-header__menu-button button button--secondary button--small" aria-expanded={menuOpen} aria-controls={menuId} onClick={() => setMenuOpen((open) => !open)}>
          {menuOpen ? <CloseIcon /> : <MenuIcon />}
          <span>Menu</span>
        </button>
        <div className="site-header__menu" id={menuId}>
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
          {user && menuOpen ? (
            <p className="site-header__menu-account">
              <span className="account-links__greeting" title={user.email}>
                Signed in as {user.first_name}
              </span>
              <LogoutButton />
            </p>
          ) : null}
        </div>
        <div className="site-header__account">
          <AccountLinks />
        </div>
      </div>
    </header>
  );
}
