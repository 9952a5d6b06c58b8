import { Link, useNavigate, useParams } from 'react-router';

import { useOrderPayment } from '@/features/orders/api/get-order-payment';
import { ProviderFormPage } from '@/features/payments/components/provider-form-page';
import { formatPrice, shortId } from '@/lib/format';
import { declineMessage } from '@/lib/payment-messages';
import type { Payment } from '@/types/api';

const confirmationPath = (payment: Payment) => (payment.orderId ? `/orders/${payment.orderId}/confirmation` : `/checkouts/${payment.checkoutId}/confirmation`);

/**
 * `/checkout/pay/:orderId`: the real provider's card form for an order's client-confirmed payment ("Pay now",
 * "Finish your payment"). Once the provider accepts the card, the confirmation page follows the payment, which
 * only the provider's signed webhook completes.
 */
export function Component() {
  const { orderId = '' } = useParams();
  const navigate = useNavigate();
  const payment = useOrderPayment(orderId).data;
  const action = payment?.status === 'PENDING' ? payment.nextAction : null;
  const form =
    payment && action?.type === 'use_provider_js'
      ? { kind: 'payment' as const, clientSecret: action.clientSecret, returnPath: confirmationPath(payment), submitLabel: `Pay ${formatPrice(payment.amount)}`, onConfirmed: () => void navigate(confirmationPath(payment)) }
      : null;
  const intro = (
    <p className="status-page__text">
      Order {shortId(orderId)}: your items are held for you while you pay.{' '}
      {payment?.failureReason && form ? declineMessage(payment.failureReason) : null}
    </p>
  );
  const fallback = (
    <p>
      {payment === undefined ? 'Loading the payment…' : 'Nothing is waiting for your payment here.'}{' '}
      <Link to={`/orders/${orderId}`}>View the order</Link>
    </p>
  );
  return <ProviderFormPage title="Pay for your order" intro={intro} form={form} fallback={fallback} />;
}
