import { Link } from 'react-router';

import { CartIcon } from '@/components/ui/icons';
import { cartItemCount, useCart } from '@/features/cart/api/get-cart';

/** Header cart link; the count follows the cart query, including optimistic adds and their rollback. */
export function CartBadge() {
  const { data } = useCart();
  const count = cartItemCount(data);
  return (
    <Link className="icon-link" to="/cart" aria-label={count > 0 ? `Cart, ${count} ${count === 1 ? 'item' : 'items'}` : 'Cart'}>
      <CartIcon />
      {count > 0 ? (
        <span className="count-badge" data-testid="cart-count" aria-hidden="true">
          {count > 99 ? '99+' : count}
        </span>
      ) : null}
    </Link>
  );
}
