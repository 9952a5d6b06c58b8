import { Link } from 'react-router';

import { ErrorState } from '@/components/ui/empty-state';
import { StatusBadge } from '@/components/ui/status-badge';
import { isCheckoutSettled, useCheckout } from '@/features/orders/api/checkouts';
import { useOrderPayment } from '@/features/orders/api/get-order-payment';
import { PayNow, payNowUrl } from '@/features/orders/components/payment-confirmation';
import { getErrorMessage } from '@/lib/error-message';
import { formatPrice, shortId, taxLabel } from '@/lib/format';

/**
 * Follows a checkout through its one payment (polling `GET /checkouts/:id` until settled): the outcome, then each
 * seller's order with its status, shipping and total, and the totals breakdown.
 */
export function CheckoutConfirmation({ checkoutId, renderSeller }: { checkoutId: string; renderSeller: (sellerId: string) => React.ReactNode }) {
  const checkout = useCheckout(checkoutId);
  if (checkout.isError && !checkout.data) return <ErrorState message={getErrorMessage(checkout.error)} onRetry={() => void checkout.refetch()} />;
  const data = checkout.data;
  const settled = isCheckoutSettled(data);
  const paid = data?.payment?.status === 'COMPLETED' || data?.payment?.status === 'REFUNDED';
  // A checkout paid on the provider's form: its one payment (with the buyer's next action) is read through any of its orders.
  const awaitsBuyer = data?.payment?.status === 'PENDING' && data.payment.confirmation === 'client';
  const firstOrderId = data?.orders[0]?.id ?? '';
  const payment = useOrderPayment(firstOrderId, { enabled: awaitsBuyer && firstOrderId !== '' }).data;
  const payUrl = awaitsBuyer && payment ? payNowUrl(payment, firstOrderId) : null;

  return (
    <section className="status-page" aria-labelledby="confirmation-title">
      <div role="status" aria-live="polite">
        {settled && paid ? (
          <>
            <span className="status-icon status-icon--success" aria-hidden="true">
              ✓
            </span>
            <h1 id="confirmation-title">Payment confirmed</h1>
            <p className="status-page__text">
              Checkout {shortId(checkoutId)} is paid ({formatPrice(data?.payment?.amount ?? 0)}) — one order per seller.
            </p>
          </>
        ) : settled ? (
          <>
            <span className="status-icon status-icon--danger" aria-hidden="true">
              ✕
            </span>
            <h1 id="confirmation-title">Payment failed</h1>
            <p className="status-page__text">
              The payment for checkout {shortId(checkoutId)} was declined, so its orders were cancelled and nothing was charged.
            </p>
          </>
        ) : payment && payUrl ? (
          <>
            <h1 id="confirmation-title">Finish your payment</h1>
            <p className="status-page__text">
              Checkout {shortId(checkoutId)} is placed and its items are held for you. Pay {formatPrice(payment.amount)} on the payment
              provider’s page.
            </p>
            <PayNow payment={payment} url={payUrl} />
          </>
        ) : (
          <>
            <span className="page-loading__spinner" style={{ opacity: 1, display: 'inline-block' }} aria-hidden="true" />
            <h1 id="confirmation-title">Confirming your payment…</h1>
            <p className="status-page__text">Checkout {shortId(checkoutId)} is placed. This usually takes a few seconds.</p>
          </>
        )}
      </div>
      {data ? (
        <>
          <table className="table" aria-label="Orders of this checkout">
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Seller</th>
                <th scope="col">Shipping</th>
                <th scope="col">Total</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {data.orders.map((order) => (
                <tr key={order.id}>
                  <td data-label="Order">
                    <Link to={`/orders/${order.id}`}>
                      <span className="visually-hidden">Order </span>
                      {shortId(order.id)}
                    </Link>
                  </td>
                  <td data-label="Seller">
                    {renderSeller(order.sellerId)}
                  </td>
                  <td data-label="Shipping">
                    {order.shipping ? `${order.shipping.method} (${order.shipping.price === 0 ? 'free' : formatPrice(order.shipping.price)})` : '—'}
                  </td>
                  <td data-label="Total">{formatPrice(order.totalAmount)}</td>
                  <td data-label="Status">
                    <StatusBadge status={order.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <dl className="summary-card" aria-label="Totals">
            <div className="summary-row">
              <dt>Subtotal</dt>
              <dd>{formatPrice(data.totals.subtotal)}</dd>
            </div>
            <div className="summary-row">
              <dt>Shipping</dt>
              <dd>{formatPrice(data.totals.shipping)}</dd>
            </div>
            <div className="summary-row">
              <dt>Discount</dt>
              <dd>{data.totals.discount > 0 ? `−${formatPrice(data.totals.discount)}` : formatPrice(0)}</dd>
            </div>
            <div className="summary-row">
              <dt>{taxLabel(data.totals)}</dt>
              <dd>{formatPrice(data.totals.tax)}</dd>
            </div>
            <div className="summary-row summary-row--total">
              <dt>Total</dt>
              <dd>{formatPrice(data.totals.total)}</dd>
            </div>
            {data.payment && data.payment.refundedAmount > 0 ? (
              <div className="summary-row">
                <dt>Refunded</dt>
                <dd>{formatPrice(data.payment.refundedAmount)}</dd>
              </div>
            ) : null}
          </dl>
        </>
      ) : null}
      <div className="status-page__actions">
        <Link className="button button--secondary" to="/orders">
          Your orders
        </Link>
      </div>
    </section>
  );
}
