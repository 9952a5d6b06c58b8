import { CartView } from '@/features/cart/components/cart-view';
import { SellerName } from '@/features/catalog/components/seller-name';

export function Component() {
  return (
    <div className="page container">
      <title>Your cart · Edge Shop</title>
      <div className="page__header">
        <h1>Your cart</h1>
      </div>
      <CartView renderSeller={(sellerId) => <SellerName sellerId={sellerId} />} />
    </div>
  );
}
