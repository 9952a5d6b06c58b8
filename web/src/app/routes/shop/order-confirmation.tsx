import { useParams } from 'react-router';

import { PaymentConfirmation } from '@/features/orders/components/payment-confirmation';

export function Component() {
  const { id = '' } = useParams();
  return (
    <>
      <title>Order placed · Edge Shop</title>
      <PaymentConfirmation key={id} orderId={id} />
    </>
  );
}
