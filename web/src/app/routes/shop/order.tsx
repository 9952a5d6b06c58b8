import { useState } from 'react';
import { Link, Navigate, useParams } from 'react-router';

import { NotFoundMessage } from '@/components/errors/not-found-message';
import { ErrorState } from '@/components/ui/empty-state';
import { InlineConfirm } from '@/components/ui/inline-confirm';
import { SkeletonRows } from '@/components/ui/skeleton';
import { useOrder } from '@/features/orders/api/get-order';
import { useChangeOrderStatus } from '@/features/orders/api/order-actions';
import { OrderSummaryView } from '@/features/orders/components/order-summary';
import { AwaitingPaymentNotice } from '@/features/orders/components/payment-confirmation';
import { OrderTimeline } from '@/features/orders/components/order-timeline';
import { BuyerReturns } from '@/features/returns/components/buyer-returns';
import { ReviewDialog } from '@/features/reviews/components/review-dialog';
import { isApiError } from '@/lib/api-client';
import { getErrorMessage } from '@/lib/error-message';
import { shortId } from '@/lib/format';
import { useCurrentUser } from '@/stores/auth-store';

export function Component() {
  const { id = '' } = useParams();
  const order = useOrder(id);
  const user = useCurrentUser();
  const [confirmingDelivery, setConfirmingDelivery] = useState(false);
  const [reviewing, setReviewing] = useState(false);
  const change = useChangeOrderStatus({
    onSuccess: (_order, action) => {
      if (action === 'deliver') setReviewing(true);
    },
  });

  if (order.isPending) {
    return (
      <div className="page container">
        <SkeletonRows rows={6} />
      </div>
    );
  }
  if (order.isError) {
    // Notification links point here; a seller's "new order" is not theirs as a buyer, so open the seller view.
    if (isApiError(order.error) && order.error.status === 403 && user?.role === 'seller') {
      return <Navigate to={`/seller/orders/${id}`} replace />;
    }
    if (isApiError(order.error) && [400, 403, 404].includes(order.error.status)) return <NotFoundMessage />;
    return (
      <div className="page container">
        <ErrorState message={getErrorMessage(order.error)} onRetry={() => void order.refetch()} />
      </div>
    );
  }

  const o = order.data;
  const canCancel = o.status === 'PENDING' || o.status === 'CONFIRMED';

  return (
    <div className="page container">
      <title>{`Order ${shortId(o.id)} · Edge Shop`}</title>
      <div className="page__header">
        <h1>Order {shortId(o.id)}</h1>
        <Link to="/orders">← All orders</Link>
      </div>
      <div className="two-column">
        <OrderSummaryView order={o} sellerLink />
        <aside className="form">
          {o.status === 'PENDING' ? <AwaitingPaymentNotice orderId={o.id} /> : null}
          <section className="card" aria-labelledby="timeline-title">
            <h2 id="timeline-title" className="field__label">
              Status
            </h2>
            <OrderTimeline orderId={o.id} refunds={o.refunds} />
          </section>
          <div className="form__actions">
            {canCancel ? (
              <InlineConfirm
                label="Cancel order"
                triggerClassName="button button--danger"
                question="Cancel this order?"
                confirmLabel="Yes, cancel"
                pendingLabel="Cancelling…"
                keepLabel="Keep order"
                danger
                pending={change.isPending}
                onConfirm={() => change.mutateAsync({ id: o.id, action: 'cancel' })}
              />
            ) : null}
            {o.status === 'SHIPPED' ? (
              confirmingDelivery ? (
                <div className="form__row" role="group" aria-label="Confirm delivery">
                  <span>Has the whole order arrived?</span>
                  <button
                    type="button"
                    className="button button--primary button--small"
                    disabled={change.isPending}
                    onClick={() => change.mutate({ id: o.id, action: 'deliver' })}
                  >
                    {change.isPending ? 'Saving…' : 'Yes, it arrived'}
                  </button>
                  <button type="button" className="button button--secondary button--small" onClick={() => setConfirmingDelivery(false)}>
                    Not yet
                  </button>
                </div>
              ) : (
                <button type="button" className="button button--primary" onClick={() => setConfirmingDelivery(true)}>
                  Mark as Delivered
                </button>
              )
            ) : null}
            {o.status === 'DELIVERED' ? (
              <button type="button" className="button button--primary" onClick={() => setReviewing(true)}>
                Write / Edit Reviews
              </button>
            ) : null}
          </div>
        </aside>
      </div>
      <BuyerReturns order={o} />
      <ReviewDialog items={o.items} open={reviewing} onClose={() => setReviewing(false)} />
    </div>
  );
}
