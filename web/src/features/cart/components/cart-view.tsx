import type { ReactNode } from 'react';
import { Link } from 'react-router';

import { EmptyState, ErrorState } from '@/components/ui/empty-state';
import { InlineConfirm } from '@/components/ui/inline-confirm';
import { QuantityStepper } from '@/components/ui/quantity-stepper';
import { SkeletonRows } from '@/components/ui/skeleton';
import { useCart } from '@/features/cart/api/get-cart';
import { useClearCart, useRemoveCartItem, useUpdateCartItem } from '@/features/cart/api/update-cart-item';
import { getErrorMessage } from '@/lib/error-message';
import { formatPrice, pluralize, sumAmounts } from '@/lib/format';
import type { CartItem } from '@/types/api';

const MAX_LINE_QUANTITY = 999;

export interface CartGroup {
  sellerId: string;
  items: CartItem[];
  subtotal: number;
  itemCount: number;
  /** A line asks for more than the seller has; checkout of this group would be refused. */
  exceedsStock: boolean;
}

/** Lines grouped by seller in first-added order: one order per seller at checkout. */
export function groupBySeller(items: CartItem[]): CartGroup[] {
  const groups = new Map<string, CartItem[]>();
  for (const item of items) groups.set(item.seller_id, [...(groups.get(item.seller_id) ?? []), item]);
  return [...groups].map(([sellerId, lines]) => ({
    sellerId,
    items: lines,
    subtotal: sumAmounts(lines.map((line) => line.subtotal)),
    itemCount: lines.reduce((sum, line) => sum + line.quantity, 0),
    exceedsStock: lines.some((line) => line.quantity > line.stock_available),
  }));
}

function CartLine({ item }: { item: CartItem }) {
  const update = useUpdateCartItem();
  const remove = useRemoveCartItem();
  const busy = update.isPending || remove.isPending;
  const max = Math.max(1, Math.min(item.stock_available, MAX_LINE_QUANTITY));

  return (
    <li className="cart-line">
      {item.image_url ? (
        <img className="cart-line__image" src={item.image_url} alt="" width={64} height={64} loading="lazy" />
      ) : (
        <span className="cart-line__image" aria-hidden="true" />
      )}
      <div>
        <div className="cart-line__body">
          <p className="cart-line__name">
            <Link to={`/products/${item.product_id}`}>{item.product_name}</Link>
            <br />
            <span className="field__hint">{formatPrice(item.unit_price)} each</span>
          </p>
          <QuantityStepper
            label={`Quantity of ${item.product_name}`}
            value={item.quantity}
            max={Math.max(max, item.quantity)}
            onChange={(quantity) => quantity !== item.quantity && update.mutate({ productId: item.product_id, quantity })}
            disabled={busy}
          />
          <strong>{formatPrice(item.subtotal)}</strong>
          <button
            type="button"
            className="button button--link"
            onClick={() => remove.mutate(item.product_id)}
            disabled={busy}
            aria-label={`Remove ${item.product_name}`}
          >
            Remove
          </button>
        </div>
        {item.quantity > item.stock_available ? (
          <p className="warning">
            {item.stock_available <= 0
              ? 'This item is out of stock. Remove it to check out.'
              : `Only ${item.stock_available} available. Lower the quantity to check out.`}
          </p>
        ) : null}
        {item.price_changed ? <p className="field__hint">The price changed since you added this item.</p> : null}
      </div>
    </li>
  );
}

/**
 * The cart grouped by seller, each group with its subtotal and its own checkout link (`/checkout?seller=`).
 * `renderSeller` lets the page supply the seller's name (the cart itself only knows seller ids).
 */
export function CartView({ renderSeller }: { renderSeller: (sellerId: string) => ReactNode }) {
  const cart = useCart();
  const clear = useClearCart();

  if (cart.isPending) return <SkeletonRows rows={4} />;
  if (cart.isError) return <ErrorState message={getErrorMessage(cart.error)} onRetry={() => void cart.refetch()} />;
  if (cart.data.items.length === 0) {
    return (
      <EmptyState
        title="Your cart is empty."
        action={
          <Link className="button button--primary" to="/products">
            Browse products
          </Link>
        }
      />
    );
  }

  const groups = groupBySeller(cart.data.items);
  const itemCount = groups.reduce((sum, group) => sum + group.itemCount, 0);

  return (
    <div className="cart-layout">
      <div>
        {groups.map((group) => (
          <section key={group.sellerId} className="cart-group" aria-label={`Items from seller ${group.sellerId}`}>
            <div className="cart-group__header">
              <h2>Sold by {renderSeller(group.sellerId)}</h2>
            </div>
            <ul className="cart-lines">
              {group.items.map((item) => (
                <CartLine key={item.product_id} item={item} />
              ))}
            </ul>
            <div className="cart-group__footer">
              <p className="summary-row">
                Subtotal:&nbsp;<strong>{formatPrice(group.subtotal)}</strong>
              </p>
              {group.exceedsStock ? (
                <span className="button button--primary" aria-disabled="true">
                  Checkout {pluralize(group.itemCount, 'item')}
                </span>
              ) : (
                <Link className="button button--primary" to={`/checkout?seller=${encodeURIComponent(group.sellerId)}`}>
                  Checkout {pluralize(group.itemCount, 'item')}
                </Link>
              )}
            </div>
          </section>
        ))}
      </div>
      <aside className="summary-card" aria-labelledby="cart-summary-title">
        <h2 id="cart-summary-title">Summary</h2>
        <p className="summary-row">
          <span>Items</span>
          <span>{itemCount}</span>
        </p>
        <p className="summary-row">
          <span>Shipping</span>
          <span>{groups.length > 1 ? 'Chosen at checkout' : 'Free'}</span>
        </p>
        <p className="summary-row summary-row--total">
          <span>{groups.length > 1 ? 'Subtotal' : 'Total'}</span>
          <span>{formatPrice(cart.data.total)}</span>
        </p>
        {groups.length > 1 ? (
          <>
            {groups.some((group) => group.exceedsStock) ? (
              <span className="button button--primary button--block" aria-disabled="true">
                Check out
              </span>
            ) : (
              <Link className="button button--primary button--block" to="/checkout">
                Check out
              </Link>
            )}
            <p className="field__hint">One checkout and one payment for every seller; each seller ships its own order.</p>
          </>
        ) : null}
        <InlineConfirm
          label="Clear cart"
          triggerClassName="button button--secondary"
          question="Remove everything?"
          confirmLabel="Yes, clear cart"
          pendingLabel="Clearing…"
          danger
          pending={clear.isPending}
          onConfirm={() => clear.mutateAsync(undefined)}
        />
      </aside>
    </div>
  );
}
