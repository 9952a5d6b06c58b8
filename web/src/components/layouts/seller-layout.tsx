import { NavLink, Outlet } from 'react-router';

const LINKS = [
  { to: '/seller/products', label: 'My Products' },
  { to: '/seller/orders', label: 'Seller Orders' },
  { to: '/seller/returns', label: 'Returns' },
  { to: '/seller/shipping', label: 'Shipping' },
  { to: '/seller/promotions', label: 'Promotions' },
  { to: '/seller/earnings', label: 'Earnings' },
];

/** The seller portal's pages under one tab strip, so the main menu needs a single "Seller portal" link. */
export function SellerLayout() {
  return (
    <>
      <nav className="container sub-nav" aria-label="Seller">
        <ul className="sub-nav__list">
          {LINKS.map((link) => (
            <li key={link.to}>
              <NavLink className="sub-nav__link" to={link.to}>
                {link.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
