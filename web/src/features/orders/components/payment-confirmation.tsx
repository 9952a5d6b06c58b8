import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';

import { FormError } from '@/components/ui/form-field';
import { useOrderPayment } from '@/features/orders/api/get-order-payment';
import { formatPrice, shortId } from '@/lib/format';
import { declineMessage } from '@/lib/payment-messages';
import type { Payment } from '@/types/api';

export const REDIRECT_AFTER_MS = 3_000;

export const DELAYED_AFTER_MS = 60_000;

/**
 * Where the buyer pays a waiting client-confirmed payment: the simulated provider's page, or our page holding the
 * real provider's form (`/checkout/pay/…`). Both are full page loads (a plain link): the latter's CSP admits the provider.
 */
export function payNowUrl(payment: Payment, orderId: string): string | null {
  if (payment.status !== 'PENDING' || !payment.nextAction) return null;
  return payment.nextAction.url ?? `/checkout/pay/${orderId}`;
}

/** The last decline's advice and the link to the provider's payment page. */
export function PayNow({ payment, url }: { payment: Payment; url: string }) {
  return (
    <>
      <FormError message={payment.failureReason ? declineMessage(payment.failureReason) : null} />
      <a className="button button--primary" href={url}>
        Pay now
      </a>
    </>
  );
}

/** On the order page: a PENDING order whose payment waits for its buyer says so and offers the payment page. */
export function AwaitingPaymentNotice({ orderId }: { orderId: string }) {
  const payment = useOrderPayment(orderId);
  const url = payment.data ? payNowUrl(payment.data, orderId) : null;
  if (!payment.data || !url) return null;
  return (
    <section className="card" aria-labelledby="awaiting-payment-title">
      <h2 id="awaiting-payment-title" className="field__label">
        Payment needed
      </h2>
      <p>This order waits for your payment of {formatPrice(payment.data.amount)}; its items are held for you.</p>
      <PayNow payment={payment.data} url={url} />
    </section>
  );
}

/**
 * Waits for the payment saga (confirmation): polls the payment until COMPLETED or FAILED, then sends the
 * shopper to /orders after 3 s; after 60 s without an outcome it says so and offers the order page.
 */
export function PaymentConfirmation({ orderId }: { orderId: string }) {
  const navigate = useNavigate();
  const payment = useOrderPayment(orderId);
  const [delayed, setDelayed] = useState(false);
  const status = payment.data?.status;
  const settled = status === 'COMPLETED' || status === 'FAILED' || status === 'REFUNDED';
  const payUrl = payment.data ? payNowUrl(payment.data, orderId) : null;

  const { refetch } = payment;
  useEffect(() => {
    if (settled) return;
    const timer = setTimeout(() => {
      setDelayed(true);
      // While live updates are on nothing polls: ask once, in case the event was lost.
      void refetch();
    }, DELAYED_AFTER_MS);
    return () => clearTimeout(timer);
  }, [settled, refetch]);

  useEffect(() => {
    if (!settled) return;
    const timer = setTimeout(() => void navigate('/orders'), REDIRECT_AFTER_MS);
    return () => clearTimeout(timer);
  }, [settled, navigate]);

  const orderLink = (
    <Link className="button button--secondary" to={`/orders/${orderId}`}>
      View Order
    </Link>
  );

  return (
    <section className="status-page" aria-labelledby="confirmation-title">
      <div role="status" aria-live="polite">
        {status === 'COMPLETED' ? (
          <>
            <span className="status-icon status-icon--success" aria-hidden="true">
              ✓
            </span>
            <h1 id="confirmation-title">Payment confirmed</h1>
            <p className="status-page__text">
              Order {shortId(orderId)} is paid ({formatPrice(payment.data?.amount ?? 0)}). Taking you to your orders…
            </p>
          </>
        ) : status === 'FAILED' || status === 'REFUNDED' ? (
          <>
            <span className="status-icon status-icon--danger" aria-hidden="true">
              ✕
            </span>
            <h1 id="confirmation-title">Payment failed</h1>
            <p className="status-page__text">
              The payment for order {shortId(orderId)} was declined, so the order was cancelled and nothing was
              charged. Taking you to your orders…
            </p>
          </>
        ) : payment.data && payUrl ? (
          <>
            <h1 id="confirmation-title">Finish your payment</h1>
            <p className="status-page__text">
              Order {shortId(orderId)} is placed and its items are held for you. Pay {formatPrice(payment.data.amount)} on the
              payment provider’s page.
            </p>
            <PayNow payment={payment.data} url={payUrl} />
          </>
        ) : delayed ? (
          <>
            <h1 id="confirmation-title">Confirmation delayed</h1>
            <p className="status-page__text">
              Your order {shortId(orderId)} is placed, but the payment confirmation is taking longer than usual. We
              will notify you when it arrives.
            </p>
          </>
        ) : (
          <>
            <span className="page-loading__spinner" style={{ opacity: 1, display: 'inline-block' }} aria-hidden="true" />
            <h1 id="confirmation-title">Confirming your payment…</h1>
            <p className="status-page__text">Order {shortId(orderId)} is placed. This usually takes a few seconds.</p>
          </>
        )}
      </div>
      <div className="status-page__actions">
        {orderLink}
        <Link className="button button--secondary" to="/orders">
          All orders
        </Link>
      </div>
    </section>
  );
}
