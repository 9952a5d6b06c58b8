import { Outlet } from 'react-router';

import { SectionNav } from '@/components/ui/section-nav';

const LINKS = [
  { to: '/admin', label: 'Overview', end: true },
  { to: '/admin/orders', label: 'Orders' },
  { to: '/admin/dead-letters', label: 'Dead letters' },
  { to: '/admin/users', label: 'Users' },
  { to: '/admin/catalog', label: 'Catalog' },
  { to: '/admin/audit-log', label: 'Audit log' },
  { to: '/admin/promotions', label: 'Promotions' },
  { to: '/admin/tax-rates', label: 'Tax rates' },
];

/** The console's frame: its own section navigation above each page (rendered only behind `RequireAdmin`). */
export function Component() {
  return (
    <div className="page container admin">
      <SectionNav label="Operator console" links={LINKS} className="admin-nav" />
      <Outlet />
    </div>
  );
}
