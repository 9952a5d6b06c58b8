import { Link, useSearchParams } from 'react-router';

import { usePageParam } from '@/hooks/use-page-param';
import { useSellerOrders } from '@/features/orders/api/get-orders';
import { OrdersTable } from '@/features/orders/components/orders-table';
import type { OrderStatus } from '@/types/api';

const TABS: { label: string; status: OrderStatus | null }[] = [
  { label: 'All', status: null },
  { label: 'Pending', status: 'PENDING' },
  { label: 'Confirmed', status: 'CONFIRMED' },
  { label: 'Shipped', status: 'SHIPPED' },
  { label: 'Delivered', status: 'DELIVERED' },
  { label: 'Cancelled', status: 'CANCELLED' },
];

export function Component() {
  const [params] = useSearchParams();
  const page = usePageParam();
  const status = TABS.find((tab) => tab.status === params.get('status'))?.status ?? null;
  const orders = useSellerOrders({ page, status: status ?? undefined });

  return (
    <div className="page container">
      <title>Seller Orders · Edge Shop</title>
      <div className="page__header">
        <h1>Seller Orders</h1>
      </div>
      <nav className="tabs" aria-label="Filter by status">
        {TABS.map((tab) => (
          <Link
            key={tab.label}
            className="chip"
            to={{ search: tab.status ? `?status=${tab.status}` : '' }}
            aria-current={tab.status === status ? 'true' : undefined}
          >
            {tab.label}
          </Link>
        ))}
      </nav>
      <OrdersTable
        orders={orders.data?.data}
        meta={orders.data?.meta}
        isPending={orders.isPending}
        error={orders.error}
        onRetry={() => void orders.refetch()}
        emptyTitle={status ? `No ${status.toLowerCase()} orders.` : 'No orders yet.'}
        seller
      />
    </div>
  );
}
