import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';

import { EmptyState, ErrorState } from '@/components/ui/empty-state';
import { SkeletonRows } from '@/components/ui/skeleton';
import { getCartQueryOptions, useCart } from '@/features/cart/api/get-cart';
import { SellerName } from '@/features/catalog/components/seller-name';
import { CartCheckoutForm } from '@/features/orders/components/cart-checkout-form';
import { CheckoutForm } from '@/features/orders/components/checkout-form';
import { useProfile } from '@/features/profile/api/get-profile';
import { getErrorMessage } from '@/lib/error-message';
import { sumAmounts } from '@/lib/format';

export function Component() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const cart = useCart();
  const profile = useProfile();

  if (cart.isPending || profile.isPending) {
    return (
      <div className="page container">
        <SkeletonRows rows={6} />
      </div>
    );
  }
  if (cart.isError || profile.isError) {
    const error = cart.error ?? profile.error;
    return (
      <div className="page container">
        <ErrorState
          message={getErrorMessage(error)}
          onRetry={() => {
            void cart.refetch();
            void profile.refetch();
          }}
        />
      </div>
    );
  }

  const sellers = [...new Set(cart.data.items.map((item) => item.seller_id))];
  const sellerId = params.get('seller') ?? (sellers.length === 1 ? sellers[0] : undefined);
  // Several sellers and no group picked: the whole cart in one checkout (one order per seller, one payment).
  if (!sellerId && sellers.length > 1) {
    return (
      <div className="page container">
        <title>Checkout · Edge Shop</title>
        <div className="page__header">
          <h1>Checkout</h1>
          <Link to="/cart">← Back to cart</Link>
        </div>
        <p className="page__lead">Your cart holds products of {sellers.length} sellers: each ships its own order, and you pay once.</p>
        <CartCheckoutForm
          items={cart.data.items}
          savedAddresses={profile.data.addresses}
          renderSeller={(id) => <SellerName sellerId={id} />}
          onPlaced={(checkout) => {
            void queryClient.invalidateQueries({ queryKey: getCartQueryOptions().queryKey });
            void navigate(`/checkouts/${checkout.id}/confirmation`, { replace: true });
          }}
        />
      </div>
    );
  }
  const items = cart.data.items.filter((item) => item.seller_id === sellerId);

  return (
    <div className="page container">
      <title>Checkout · Edge Shop</title>
      <div className="page__header">
        <h1>Checkout</h1>
        <Link to="/cart">← Back to cart</Link>
      </div>
      {items.length === 0 || !sellerId ? (
        <EmptyState
          title="There is nothing to check out from this seller."
          action={
            <Link className="button button--primary" to="/cart">
              Go to your cart
            </Link>
          }
        />
      ) : (
        <>
          <p className="page__lead">
            Items sold by <SellerName sellerId={sellerId} />.
          </p>
          <CheckoutForm
            lines={items.map((item) => ({
              productId: item.product_id,
              name: item.product_name,
              quantity: item.quantity,
              subtotal: item.subtotal,
            }))}
            total={sumAmounts(items.map((item) => item.subtotal))}
            savedAddresses={profile.data.addresses}
            onPlaced={(order) => {
              // The server removed the ordered lines from the cart.
              void queryClient.invalidateQueries({ queryKey: getCartQueryOptions().queryKey });
              void navigate(`/orders/${order.id}/confirmation`, { replace: true });
            }}
          />
        </>
      )}
    </div>
  );
}
