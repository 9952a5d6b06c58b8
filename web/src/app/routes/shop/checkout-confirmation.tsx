import { useParams } from 'react-router';

import { SellerName } from '@/features/catalog/components/seller-name';
import { CheckoutConfirmation } from '@/features/orders/components/checkout-confirmation';

export function Component() {
  const { id = '' } = useParams();
  return (
    <>
      <title>Checkout placed · Edge Shop</title>
      <CheckoutConfirmation key={id} checkoutId={id} renderSeller={(sellerId) => <SellerName sellerId={sellerId} />} />
    </>
  );
}
