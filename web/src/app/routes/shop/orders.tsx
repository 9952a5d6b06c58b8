import { usePageParam } from '@/hooks/use-page-param';
import { useOrders } from '@/features/orders/api/get-orders';
import { OrdersTable } from '@/features/orders/components/orders-table';

export function Component() {
  const page = usePageParam();
  const orders = useOrders({ page });
  return (
    <div className="page container">
      <title>Your orders · Edge Shop</title>
      <div className="page__header">
        <h1>Your orders</h1>
      </div>
      <OrdersTable
        orders={orders.data?.data}
        meta={orders.data?.meta}
        isPending={orders.isPending}
        error={orders.error}
        onRetry={() => void orders.refetch()}
        emptyTitle="You have not placed any orders yet."
      />
    </div>
  );
}
