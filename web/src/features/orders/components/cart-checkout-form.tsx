import { type FormEvent, useId, useRef, useState } from 'react';

import { FormError } from '@/components/ui/form-field';
import { ErrorState } from '@/components/ui/empty-state';
import { SkeletonRows } from '@/components/ui/skeleton';
import { useCreateCheckout, useShippingOptionsOf } from '@/features/orders/api/checkouts';
import { ORDER_ERRORS, PaymentChoice, type PaymentConfirmation, ShippingAddressFields, useShippingAddressChoice } from '@/features/orders/components/checkout-form';
import { PromoSummary, usePromoPreview } from '@/features/orders/components/promo-code';
import { isApiError } from '@/lib/api-client';
import { getErrorMessage } from '@/lib/error-message';
import { formatPrice, sumAmounts } from '@/lib/format';
import { randomId } from '@/lib/random-id';
import type { Address, CartItem, Checkout, ShippingOption } from '@/types/api';

const CHECKOUT_ERRORS: Record<string, string> = {
  ...ORDER_ERRORS,
  INSUFFICIENT_STOCK: 'Some items no longer have enough stock, so nothing was reserved. Go back to your cart and lower the quantities.',
  SHIPPING_OPTION_REQUIRED: 'Choose a shipping option for every seller.',
  INVALID_SHIPPING_OPTION: 'A shipping option is no longer offered. Choose another one.',
  EMPTY_CART: 'Your cart is empty.',
  PRICE_CHANGED: 'Prices changed since you opened this page. Check the new total and place the order again.',
};

/** What the shopper pays for one seller's group with this option (free over the option's threshold). */
export const shippingPrice = (option: ShippingOption | undefined, subtotal: number) =>
  !option ? 0 : option.freeOver !== null && subtotal >= option.freeOver ? 0 : option.price;

/** The cart's lines by seller, in first-added order (one order per seller). */
function bySeller(items: CartItem[]) {
  const groups = new Map<string, CartItem[]>();
  for (const item of items) groups.set(item.seller_id, [...(groups.get(item.seller_id) ?? []), item]);
  return [...groups].map(([sellerId, lines]) => ({ sellerId, items: lines, subtotal: sumAmounts(lines.map((line) => line.subtotal)) }));
}

const days = (option: ShippingOption) => (option.minDays === option.maxDays ? `${option.minDays} days` : `${option.minDays}–${option.maxDays} days`);

interface CartCheckoutFormProps {
  items: CartItem[];
  savedAddresses: Address[];
  renderSeller: (sellerId: string) => React.ReactNode;
  onPlaced: (checkout: Checkout) => void;
}

/**
 * The whole cart in one checkout (`POST /checkouts`): each seller's group with its lines and a shipping choice
 * (its cheapest option preselected), one shipping address, the payment choice (saved card, or a card now on the
 * provider's form) and the totals breakdown — one payment for everything.
 * The shown total is sent as `expectedTotal`, so a price change is a 409 instead of a surprise.
 */
export function CartCheckoutForm({ items, savedAddresses, renderSeller, onPlaced }: CartCheckoutFormProps) {
  const formRef = useRef<HTMLFormElement>(null);
  const idPrefix = useId();
  const groups = bySeller(items);
  const options = useShippingOptionsOf(groups.map((g) => g.sellerId));
  const address = useShippingAddressChoice(savedAddresses);
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [confirmation, setConfirmation] = useState<PaymentConfirmation>('off_session');
  const attempt = useRef<{ key: string; body: string } | null>(null);
  const createCheckout = useCreateCheckout({ onSuccess: onPlaced });

  const choiceOf = (sellerId: string) => {
    const offered = options.bySeller.get(sellerId) ?? [];
    return offered.find((o) => o.id === chosen[sellerId]) ?? offered[0];
  };
  const priced = groups.map((group) => {
    const option = choiceOf(group.sellerId);
    return { ...group, option, shipping: shippingPrice(option, group.subtotal) };
  });
  const subtotal = sumAmounts(priced.map((g) => g.subtotal));
  const shipping = sumAmounts(priced.map((g) => g.shipping));
  const localTotal = sumAmounts([subtotal, shipping]);
  const lines = items.map((item) => ({ productId: item.product_id, quantity: item.quantity }));
  const shippingChoice = Object.fromEntries(priced.filter((g) => g.option).map((g) => [g.sellerId, g.option!.id]));
  // Asked once every seller's shipping options are known (the choice is part of the body).
  const preview = usePromoPreview('/checkouts/preview', options.isPending || options.error ? null : { items: lines, shipping: shippingChoice }, address.current());

  if (options.isPending) return <SkeletonRows rows={4} />;
  if (options.error) return <ErrorState message={getErrorMessage(options.error)} onRetry={options.refetch} />;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const shippingAddress = address.resolve(formRef.current);
    if (!shippingAddress || preview.updating) return;
    const input = {
      items: lines,
      shippingAddress,
      shipping: shippingChoice,
      ...(confirmation === 'client' ? { paymentConfirmation: 'client' as const } : {}),
      ...(preview.promoCode ? { promoCode: preview.promoCode } : {}),
      expectedTotal: preview.fresh ? preview.data!.totals.total : localTotal,
    };
    const body = JSON.stringify(input);
    if (attempt.current?.body !== body) attempt.current = { key: randomId(), body };
    createCheckout.mutate({ input, idempotencyKey: attempt.current.key }, { onError: address.showServerErrors });
  };

  const error = createCheckout.error;
  const errorMessage = error ? ((isApiError(error) ? CHECKOUT_ERRORS[error.code] : undefined) ?? getErrorMessage(error)) : null;

  return (
    <form ref={formRef} className="two-column" onSubmit={onSubmit} noValidate>
      <div className="form">
        {priced.map((group) => {
          const offered = options.bySeller.get(group.sellerId) ?? [];
          return (
            <section key={group.sellerId} className="cart-group" aria-label={`Seller ${group.sellerId}`}>
              <div className="cart-group__header">
                <h2>Sold by {renderSeller(group.sellerId)}</h2>
              </div>
              <ul className="order-items">
                {group.items.map((item) => (
                  <li key={item.product_id} className="summary-row">
                    <span>
                      {item.quantity} × {item.product_name}
                    </span>
                    <span>{formatPrice(item.subtotal)}</span>
                  </li>
                ))}
              </ul>
              <fieldset className="address-options">
                <legend>Shipping</legend>
                {offered.map((option) => (
                  <label key={option.id} className="address-option">
                    <input
                      type="radio"
                      name={`${idPrefix}-shipping-${group.sellerId}`}
                      value={option.id}
                      checked={group.option?.id === option.id}
                      onChange={() => setChosen((c) => ({ ...c, [group.sellerId]: option.id }))}
                    />
                    <span>
                      <strong>{option.name}</strong> · {days(option)} ·{' '}
                      {shippingPrice(option, group.subtotal) === 0 ? 'Free' : formatPrice(option.price)}
                      {option.freeOver !== null && shippingPrice(option, group.subtotal) > 0 ? (
                        <span className="field__hint"> (free from {formatPrice(option.freeOver)})</span>
                      ) : null}
                    </span>
                  </label>
                ))}
              </fieldset>
              <p className="summary-row">
                <span>Seller total</span>
                <strong>{formatPrice(sumAmounts([group.subtotal, group.shipping]))}</strong>
              </p>
            </section>
          );
        })}
        <ShippingAddressFields state={address} />
        <PaymentChoice value={confirmation} onChange={setConfirmation} />
      </div>
      <aside className="summary-card" aria-labelledby="checkout-summary-title">
        <h2 id="checkout-summary-title">Checkout summary</h2>
        <p className="summary-row">
          <span>Sellers</span>
          <span>{priced.length}</span>
        </p>
        <p className="summary-row">
          <span>Subtotal</span>
          <span>{formatPrice(subtotal)}</span>
        </p>
        <p className="summary-row">
          <span>Shipping</span>
          <span>{shipping === 0 ? 'Free' : formatPrice(shipping)}</span>
        </p>
        <PromoSummary preview={preview} localTotal={localTotal} />
        <p className="field__hint">One payment; each seller ships its own order.</p>
        <FormError message={errorMessage && !address.hasFieldErrors ? errorMessage : null} />
        <button type="submit" className="button button--primary button--block" disabled={createCheckout.isPending || preview.updating}>
          {createCheckout.isPending ? 'Placing order…' : preview.updating ? 'Updating totals…' : 'Place Order'}
        </button>
      </aside>
    </form>
  );
}
