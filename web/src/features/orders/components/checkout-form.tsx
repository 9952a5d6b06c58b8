import { type ChangeEvent, type FormEvent, useId, useRef, useState } from 'react';

import { FormError, TextField } from '@/components/ui/form-field';
import { useCreateOrder } from '@/features/orders/api/create-order';
import { PromoSummary, usePromoPreview } from '@/features/orders/components/promo-code';
import { isApiError } from '@/lib/api-client';
import { getErrorMessage } from '@/lib/error-message';
import { formatPrice } from '@/lib/format';
import { randomId } from '@/lib/random-id';
import {
  compactErrors,
  type FieldErrors,
  focusFirstInvalid,
  hasErrors,
  serverFieldErrors,
  validateRequired,
} from '@/lib/validation';
import type { Address, Order, ShippingAddress } from '@/types/api';

export interface CheckoutLine {
  productId: number;
  name: string;
  quantity: number;
  subtotal: number;
}

const ADDRESS_FIELDS = ['street', 'city', 'state', 'country', 'zipCode'] as const;
type AddressField = (typeof ADDRESS_FIELDS)[number];
const MANUAL = 'manual';

export const ORDER_ERRORS: Record<string, string> = {
  INSUFFICIENT_STOCK: 'Some items no longer have enough stock. Go back to your cart and lower the quantities.',
  MIXED_SELLER_ORDER: 'An order can only contain products from one seller.',
  SELLER_CANNOT_BUY_OWN_PRODUCT: 'You can’t order your own products.',
  IDEMPOTENCY_KEY_IN_FLIGHT: 'Your order is already being placed. Please wait a moment.',
  PRICE_CHANGED: 'Prices changed since you opened this page. Check the new total and place the order again.',
};

/** A saved address (snake_case profile shape) as the order's shipping address (camelCase orders shape). */
export function toShippingAddress(address: Address): ShippingAddress {
  return {
    street: [address.address_line1, address.address_line2].filter(Boolean).join(', '),
    city: address.city,
    state: address.state ?? '',
    country: address.country,
    zipCode: address.postal_code ?? '',
  };
}

const validateAddress = (address: ShippingAddress): FieldErrors<AddressField> =>
  compactErrors({
    street: validateRequired(address.street, 'the street address', 255),
    city: validateRequired(address.city, 'the city', 255),
    state: validateRequired(address.state, 'the state or region', 255),
    country: validateRequired(address.country, 'the country', 255),
    zipCode: validateRequired(address.zipCode, 'the ZIP or postal code', 255),
  });

const formatAddress = (a: Address) =>
  [a.address_line1, a.address_line2, a.city, a.state, a.postal_code, a.country].filter(Boolean).join(', ');

/** The address choice of a checkout: a saved address (the default preselected) or the manual form. */
export function useShippingAddressChoice(savedAddresses: Address[]) {
  const defaultAddress = savedAddresses.find((a) => a.is_default) ?? savedAddresses[0];
  const [choice, setChoice] = useState<string>(defaultAddress?.id ?? MANUAL);
  const [manual, setManual] = useState<ShippingAddress>({ street: '', city: '', state: '', country: '', zipCode: '' });
  const [errors, setErrors] = useState<FieldErrors<AddressField>>({});
  const [addressError, setAddressError] = useState<string | null>(null);

  /** The chosen address, trimmed, or null when it is invalid (the errors are shown and the first field focused). */
  const resolve = (form: HTMLFormElement | null): ShippingAddress | null => {
    const saved = savedAddresses.find((a) => a.id === choice);
    const shippingAddress = saved ? toShippingAddress(saved) : manual;
    const next = validateAddress(shippingAddress);
    if (saved && hasErrors(next)) {
      setErrors({});
      setAddressError('This saved address is missing a state or postal code. Choose another or enter one below.');
      return null;
    }
    setAddressError(null);
    setErrors(next);
    if (hasErrors(next)) {
      focusFirstInvalid(form);
      return null;
    }
    return {
      street: shippingAddress.street.trim(),
      city: shippingAddress.city.trim(),
      state: shippingAddress.state.trim(),
      country: shippingAddress.country.trim(),
      zipCode: shippingAddress.zipCode.trim(),
    };
  };
  /** The chosen address when every field is filled (trimmed), without showing errors: what a preview may use. */
  const current = (): ShippingAddress | null => {
    const saved = savedAddresses.find((a) => a.id === choice);
    const address = saved ? toShippingAddress(saved) : manual;
    const trimmed = { street: address.street.trim(), city: address.city.trim(), state: address.state.trim(), country: address.country.trim(), zipCode: address.zipCode.trim() };
    return Object.values(trimmed).every((value) => value !== '') ? trimmed : null;
  };
  /** Field errors the server named (400 VALIDATION_ERROR on the address). */
  const showServerErrors = (error: unknown) => setErrors(serverFieldErrors(error, ADDRESS_FIELDS));
  return { savedAddresses, choice, setChoice, manual, setManual, errors, addressError, resolve, current, showServerErrors, hasFieldErrors: hasErrors(errors) };
}

export type ShippingAddressChoice = ReturnType<typeof useShippingAddressChoice>;

/** Saved addresses as radio cards plus "Enter an address" with its form. */
export function ShippingAddressFields({ state }: { state: ShippingAddressChoice }) {
  const groupName = useId();
  const { savedAddresses, choice, setChoice, manual, setManual, errors, addressError } = state;
  const bind = (field: AddressField) => ({
    value: manual[field],
    onChange: (e: ChangeEvent<HTMLInputElement>) => setManual((m) => ({ ...m, [field]: e.target.value })),
    error: errors[field],
    required: true,
    maxLength: 255,
  });
  return (
    <>
      <h2 className="section-title">Shipping address</h2>
      <FormError message={addressError} />
      <fieldset className="address-options">
        <legend className="visually-hidden">Choose a shipping address</legend>
        {savedAddresses.map((address) => (
          <label key={address.id} className="address-option">
            <input type="radio" name={groupName} value={address.id} checked={choice === address.id} onChange={() => setChoice(address.id)} />
            <span>
              <strong>{address.label || 'Saved address'}</strong>
              {address.is_default ? <span className="badge badge--info"> Default</span> : null}
              <br />
              {formatAddress(address)}
            </span>
          </label>
        ))}
        <label className="address-option">
          <input type="radio" name={groupName} value={MANUAL} checked={choice === MANUAL} onChange={() => setChoice(MANUAL)} />
          <span>
            <strong>Enter an address</strong>
          </span>
        </label>
      </fieldset>
      {choice === MANUAL ? (
        <div className="form">
          <TextField label="Street address" autoComplete="street-address" {...bind('street')} />
          <div className="form__row">
            <TextField label="City" autoComplete="address-level2" {...bind('city')} />
            <TextField label="State / region" autoComplete="address-level1" {...bind('state')} />
          </div>
          <div className="form__row">
            <TextField label="Country" autoComplete="country-name" {...bind('country')} />
            <TextField label="ZIP / postal code" autoComplete="postal-code" {...bind('zipCode')} />
          </div>
        </div>
      ) : null}
    </>
  );
}

interface CheckoutFormProps {
  lines: CheckoutLine[];
  total: number;
  savedAddresses: Address[];
  onPlaced: (order: Order) => void;
}

/**
 * Address choice (saved radio cards with the default preselected, or a manual form) and Place Order. One
 * Idempotency-Key per attempt: resubmitting the same order reuses it, changing the order starts a new attempt.
 */
export function CheckoutForm({ lines, total, savedAddresses, onPlaced }: CheckoutFormProps) {
  const formRef = useRef<HTMLFormElement>(null);
  const address = useShippingAddressChoice(savedAddresses);
  const attempt = useRef<{ key: string; body: string } | null>(null);
  const createOrder = useCreateOrder({ onSuccess: onPlaced });
  const items = lines.map((line) => ({ productId: line.productId, quantity: line.quantity }));
  const preview = usePromoPreview('/orders/preview', { items }, address.current());

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const shippingAddress = address.resolve(formRef.current);
    if (!shippingAddress || preview.updating) return;
    const input = {
      items,
      shippingAddress,
      ...(preview.promoCode ? { promoCode: preview.promoCode } : {}),
      // The server's total for exactly this order once previewed (discount and tax included).
      ...(preview.fresh ? { expectedTotal: preview.data!.totals.total } : {}),
    };
    const body = JSON.stringify(input);
    if (attempt.current?.body !== body) attempt.current = { key: randomId(), body };
    createOrder.mutate({ input, idempotencyKey: attempt.current.key }, { onError: address.showServerErrors });
  };

  const error = createOrder.error;
  const errorMessage = error
    ? ((isApiError(error) ? ORDER_ERRORS[error.code] : undefined) ?? getErrorMessage(error))
    : null;

  return (
    <form ref={formRef} className="two-column" onSubmit={onSubmit} noValidate>
      <div className="form">
        <ShippingAddressFields state={address} />
      </div>
      <aside className="summary-card" aria-labelledby="order-summary-title">
        <h2 id="order-summary-title">Order summary</h2>
        <ul className="order-items">
          {lines.map((line) => (
            <li key={line.productId} className="summary-row">
              <span>
                {line.quantity} × {line.name}
              </span>
              <span>{formatPrice(line.subtotal)}</span>
            </li>
          ))}
        </ul>
        <p className="summary-row">
          <span>Shipping</span>
          <span>Free</span>
        </p>
        <PromoSummary preview={preview} localTotal={total} />
        <FormError message={errorMessage && !address.hasFieldErrors ? errorMessage : null} />
        <button type="submit" className="button button--primary button--block" disabled={createOrder.isPending || preview.updating}>
          {createOrder.isPending ? 'Placing order…' : preview.updating ? 'Updating totals…' : 'Place Order'}
        </button>
      </aside>
    </form>
  );
}
