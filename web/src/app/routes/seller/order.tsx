import { Link, useParams } from 'react-router';

import { NotFoundMessage } from '@/components/errors/not-found-message';
import { ErrorState } from '@/components/ui/empty-state';
import { SkeletonRows } from '@/components/ui/skeleton';
import { useOrder } from '@/features/orders/api/get-order';
import { useChangeOrderStatus } from '@/features/orders/api/order-actions';
import { OrderSummaryView } from '@/features/orders/components/order-summary';
import { ShipForm } from '@/features/orders/components/ship-form';
import { OrderTimeline } from '@/features/orders/components/order-timeline';
import { SellerReturns } from '@/features/returns/components/seller-returns';
import { isApiError } from '@/lib/api-client';
import { getErrorMessage } from '@/lib/error-message';
import { shortId } from '@/lib/format';

export function Component() {
  const { id = '' } = useParams();
  const order = useOrder(id, 'seller');
  const ship = useChangeOrderStatus();

  if (order.isPending) {
    return (
      <div className="page container">
        <SkeletonRows rows={6} />
      </div>
    );
  }
  if (order.isError) {
    if (isApiError(order.error) && [400, 403, 404].includes(order.error.status)) return <NotFoundMessage />;
    return (
      <div className="page container">
        <ErrorState message={getErrorMessage(order.error)} onRetry={() => void order.refetch()} />
      </div>
    );
  }

  const o = order.data;
  return (
    <div className="page container">
      <title>{`Seller order ${shortId(o.id)} · Edge Shop`}</title>
      <div className="page__header">
        <h1>Order {shortId(o.id)}</h1>
        <Link to="/seller/orders">← Seller Orders</Link>
      </div>
      <div className="two-column">
        <OrderSummaryView order={o} />
        <aside className="form">
          <section className="card" aria-labelledby="timeline-title">
            <h2 id="timeline-title" className="field__label">
              Status
            </h2>
            <OrderTimeline orderId={o.id} refunds={o.refunds} />
          </section>
          {o.status === 'CONFIRMED' ? <ShipForm pending={ship.isPending} onShip={(shipment) => ship.mutate({ id: o.id, action: 'ship', shipment })} /> : null}
        </aside>
      </div>
      <SellerReturns orderId={o.id} />
    </div>
  );
}
