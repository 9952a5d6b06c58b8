import { useState } from 'react';
import { Link, useParams } from 'react-router';

import { ErrorState } from '@/components/ui/empty-state';
import { SkeletonRows } from '@/components/ui/skeleton';
import { StatusBadge } from '@/components/ui/status-badge';
import { type AdminOrderAction, useAdminOrder, useAdminOrderAction } from '@/features/admin/api/admin-api';
import { adminErrorMessage } from '@/features/admin/components/admin-error';
import { InlineConfirm } from '@/components/ui/inline-confirm';
import { getErrorMessage } from '@/lib/error-message';
import { formatDateTime, formatPrice } from '@/lib/format';
import { toast } from '@/stores/toast-store';

const DONE: Record<AdminOrderAction, string> = { cancel: 'Order cancelled; a paid order is refunded.', ship: 'Order marked as shipped.', deliver: 'Order marked as delivered.' };

export function Component() {
  const { id = '' } = useParams();
  const detail = useAdminOrder(id);
  const action = useAdminOrderAction();
  const [error, setError] = useState<string | null>(null);

  if (detail.isPending) return <SkeletonRows rows={6} />;
  if (detail.error || !detail.data) return <ErrorState message={getErrorMessage(detail.error)} onRetry={() => void detail.refetch()} />;
  const { order, orderNumber, buyerEmail, sellerEmail, history, payment, paymentHistory } = detail.data;

  const run = (kind: AdminOrderAction) => {
    setError(null);
    action.mutate(
      { id: order.id, action: kind },
      { onSuccess: () => toast.success(DONE[kind]), onError: (err) => setError(adminErrorMessage(err)) },
    );
  };

  return (
    <>
      <title>{`Admin order ${orderNumber} · Edge Shop`}</title>
      <div className="page__header">
        <h1>
          Order {orderNumber} <StatusBadge status={order.status} />
        </h1>
        <Link to="/admin/orders">← All orders</Link>
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="two-column">
        <section className="card" aria-labelledby="order-facts">
          <h2 id="order-facts" className="field__label">
            Order
          </h2>
          <dl className="admin-facts">
            <dt>Total</dt>
            <dd>{formatPrice(order.totalAmount)}</dd>
            <dt>Buyer</dt>
            <dd className="admin-break">{buyerEmail ?? order.userId}</dd>
            <dt>Seller</dt>
            <dd className="admin-break">{sellerEmail ?? order.sellerId}</dd>
            <dt>Created</dt>
            <dd>{formatDateTime(order.createdAt)}</dd>
            {order.cancelReason ? (
              <>
                <dt>Cancel reason</dt>
                <dd>{order.cancelReason}</dd>
              </>
            ) : null}
          </dl>
          <ul className="order-items">
            {order.items.map((item) => (
              <li key={item.id}>
                {item.quantity} × {item.productName} — {formatPrice(item.subtotal)}
              </li>
            ))}
          </ul>
          <div className="form__actions">
            {order.status === 'PENDING' || order.status === 'CONFIRMED' ? (
              <InlineConfirm
                label="Cancel order"
                question={order.status === 'CONFIRMED' ? 'Cancel and refund the payment?' : 'Cancel this order?'}
                confirmLabel="Yes, cancel"
                pending={action.isPending}
                onConfirm={() => run('cancel')}
                danger
              />
            ) : null}
            {order.status === 'CONFIRMED' ? (
              <InlineConfirm label="Mark shipped" question="Mark as shipped?" confirmLabel="Yes, shipped" pending={action.isPending} onConfirm={() => run('ship')} />
            ) : null}
            {order.status === 'SHIPPED' ? (
              <InlineConfirm label="Mark delivered" question="Mark as delivered?" confirmLabel="Yes, delivered" pending={action.isPending} onConfirm={() => run('deliver')} />
            ) : null}
          </div>
        </section>
        <aside className="form">
          <section className="card" aria-labelledby="timeline-title">
            <h2 id="timeline-title" className="field__label">
              Timeline
            </h2>
            <ol className="timeline">
              {history.map((entry) => (
                <li key={entry.id}>
                  <StatusBadge status={entry.newStatus} /> <time dateTime={entry.changedAt}>{formatDateTime(entry.changedAt)}</time>
                  <span className="field__hint admin-break">
                    {' '}
                    {entry.reason ?? ''} · by {entry.changedBy}
                  </span>
                </li>
              ))}
            </ol>
          </section>
          <section className="card" aria-labelledby="payment-title">
            <h2 id="payment-title" className="field__label">
              Payment and refunds
            </h2>
            {payment ? (
              <>
                <p>
                  <StatusBadge status={payment.status} /> {formatPrice(payment.amount)} {payment.currency} · {payment.method}
                  {payment.failureReason ? ` · ${payment.failureReason}` : ''}
                </p>
                <ol className="timeline">
                  {paymentHistory.map((entry) => (
                    <li key={entry.id}>
                      <StatusBadge status={entry.newStatus} /> <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt)}</time>
                      <span className="field__hint"> {entry.reason ?? ''}</span>
                    </li>
                  ))}
                </ol>
              </>
            ) : (
              <p className="field__hint">No payment yet.</p>
            )}
          </section>
        </aside>
      </div>
    </>
  );
}
