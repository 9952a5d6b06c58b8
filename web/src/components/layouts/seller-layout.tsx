import { Outlet } from 'react-router';

import { SectionNav } from '@/components/ui/section-nav';

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
      <SectionNav label="Seller" links={LINKS} className="container" />
      <Outlet />
    </>
  );
}
