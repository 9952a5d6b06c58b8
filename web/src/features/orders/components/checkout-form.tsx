import { type FormEvent, useId, useRef, useState } from 'react';

import { FormError } from '@/components/ui/form-field';
import { useCreateOrder } from '@/features/orders/api/create-order';
import { useCountries } from '@/lib/countries';
import { type AddressField, AddressFields, type AddressValues, addressValuesOf, EMPTY_ADDRESS, validateAddressValues } from '@/components/ui/address-fields';
import { PromoSummary, usePromoPreview } from '@/features/orders/components/promo-code';
import { isApiError } from '@/lib/api-client';
import { getErrorMessage } from '@/lib/error-message';
import { formatPrice } from '@/lib/format';
import { randomId } from '@/lib/random-id';
import { type FieldErrors, focusFirstInvalid, hasErrors, renameFields, serverFieldErrors } from '@/lib/validation';
import type { Address, CreateOrderInput, Order, ShippingAddressInput } from '@/types/api';

export interface CheckoutLine {
  productId: number;
  name: string;
  quantity: number;
  subtotal: number;
}

/** The order's address fields → the shared form's. */
const SERVER_FIELDS = {
  recipientName: 'recipientName',
  phone: 'phone',
  street: 'line1',
  line2: 'line2',
  city: 'city',
  state: 'state',
  country: 'country',
  zipCode: 'postalCode',
} as const satisfies Record<string, AddressField>;
const MANUAL = 'manual';

export const ORDER_ERRORS: Record<string, string> = {
  INSUFFICIENT_STOCK: 'Some items no longer have enough stock. Go back to your cart and lower the quantities.',
  MIXED_SELLER_ORDER: 'An order can only contain products from one seller.',
  SELLER_CANNOT_BUY_OWN_PRODUCT: 'You can’t order your own products.',
  IDEMPOTENCY_KEY_IN_FLIGHT: 'Your order is already being placed. Please wait a moment.',
  PRICE_CHANGED: 'Prices changed since you opened this page. Check the new total and place the order again.',
};

/** Form values as the order's shipping address; a blank recipient is left to the server's default. */
export function toShippingAddress(values: AddressValues): ShippingAddressInput {
  const optional = (v: string) => v.trim() || undefined;
  return {
    recipientName: optional(values.recipientName),
    phone: optional(values.phone),
    street: values.line1.trim(),
    line2: optional(values.line2),
    city: values.city.trim(),
    state: optional(values.state),
    // Sent as stored: a saved address from before country codes keeps its name, which the server turns into the code.
    country: values.country.trim(),
    zipCode: optional(values.postalCode),
  };
}

const formatAddress = (a: Address) =>
  [a.recipient_name, a.address_line1, a.address_line2, a.city, a.state, a.postal_code, a.country].filter(Boolean).join(', ');

/** The address choice of a checkout: a saved address (the default preselected) or the manual form. */
export function useShippingAddressChoice(savedAddresses: Address[]) {
  const countries = useCountries();
  const defaultAddress = savedAddresses.find((a) => a.is_default) ?? savedAddresses[0];
  const [choice, setChoice] = useState<string>(defaultAddress?.id ?? MANUAL);
  const [manual, setManual] = useState<AddressValues>(EMPTY_ADDRESS);
  const [errors, setErrors] = useState<FieldErrors<AddressField>>({});
  const [addressError, setAddressError] = useState<string | null>(null);

  /** The chosen address, trimmed, or null when it is invalid (the errors are shown and the first field focused). */
  const resolve = (form: HTMLFormElement | null): ShippingAddressInput | null => {
    const saved = savedAddresses.find((a) => a.id === choice);
    const values = saved ? addressValuesOf(saved) : manual;
    const next = validateAddressValues(values, countries.data, { postalCodeRequired: true });
    if (saved && hasErrors(next)) {
      setErrors({});
      setAddressError('This saved address is missing a postal code or has an invalid field. Choose another or enter one below.');
      return null;
    }
    setAddressError(null);
    setErrors(next);
    if (hasErrors(next)) {
      focusFirstInvalid(form);
      return null;
    }
    return toShippingAddress(values);
  };
  const change = (field: AddressField, value: string) => {
    setManual((m) => ({ ...m, [field]: value }));
    setErrors((current) => ({ ...current, [field]: undefined }));
  };
  /** The chosen address when it passes the form's checks (without showing errors): what a preview may use. */
  const current = (): ShippingAddressInput | null => {
    const saved = savedAddresses.find((a) => a.id === choice);
    const values = saved ? addressValuesOf(saved) : manual;
    return hasErrors(validateAddressValues(values, countries.data, { postalCodeRequired: true })) ? null : toShippingAddress(values);
  };
  /** Field errors the server named (400 VALIDATION_ERROR on the address). */
  const showServerErrors = (error: unknown) => setErrors(renameFields(serverFieldErrors(error, Object.keys(SERVER_FIELDS) as (keyof typeof SERVER_FIELDS)[]), SERVER_FIELDS));
  return { savedAddresses, choice, setChoice, manual, change, errors, addressError, resolve, current, showServerErrors, hasFieldErrors: hasErrors(errors) };
}

export type ShippingAddressChoice = ReturnType<typeof useShippingAddressChoice>;

/** Saved addresses as radio cards plus "Enter an address" with its form. */
export function ShippingAddressFields({ state }: { state: ShippingAddressChoice }) {
  const groupName = useId();
  const { savedAddresses, choice, setChoice, manual, change, errors, addressError } = state;
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
          <AddressFields values={manual} errors={errors} onChange={change} postalCodeRequired />
        </div>
      ) : null}
    </>
  );
}

export type PaymentConfirmation = NonNullable<CreateOrderInput['paymentConfirmation']>;

/** Saved card (charged by the shop, as before) or a card entered now on the payment provider's form. */
export function PaymentChoice({ value, onChange }: { value: PaymentConfirmation; onChange: (value: PaymentConfirmation) => void }) {
  const groupName = useId();
  return (
    <>
      <h2 className="section-title">Payment</h2>
      <fieldset className="address-options">
        <legend className="visually-hidden">Choose how to pay</legend>
        <label className="address-option">
          <input type="radio" name={groupName} value="off_session" checked={value === 'off_session'} onChange={() => onChange('off_session')} />
          <span>Saved card — charged when you place the order</span>
        </label>
        <label className="address-option">
          <input type="radio" name={groupName} value="client" checked={value === 'client'} onChange={() => onChange('client')} />
          <span>Pay with a card now, on the payment provider’s page</span>
        </label>
      </fieldset>
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
  const [confirmation, setConfirmation] = useState<PaymentConfirmation>('off_session');
  const items = lines.map((line) => ({ productId: line.productId, quantity: line.quantity }));
  const preview = usePromoPreview('/orders/preview', { items }, address.current());

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const shippingAddress = address.resolve(formRef.current);
    if (!shippingAddress || preview.updating) return;
    const input: CreateOrderInput = {
      items,
      shippingAddress,
      ...(confirmation === 'client' ? { paymentConfirmation: 'client' as const } : {}),
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
        <PaymentChoice value={confirmation} onChange={setConfirmation} />
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
