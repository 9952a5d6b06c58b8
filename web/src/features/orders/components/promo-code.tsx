import { useState } from 'react';

import { FormError, TextField } from '@/components/ui/form-field';
import { type PreviewPath, usePricePreview } from '@/features/orders/api/price-preview';
import { useDebouncedValue } from '@/hooks/use-debounced-value';
import { formatPrice, taxLabel } from '@/lib/format';
import type { CheckoutPreview, CheckoutPreviewInput, ShippingAddressInput } from '@/types/api';

/**
 * The server's price of what the form would send now (`POST /checkouts/preview` or `/orders/preview`): discount,
 * tax and what the entered code did. `body` null: not ready to ask (e.g. shipping options still loading). `fresh`:
 * the shown totals are the server's for exactly the current body, so they may be sent as `expectedTotal`.
 */
export function usePromoPreview(path: PreviewPath, body: Omit<CheckoutPreviewInput, 'promoCode' | 'shippingAddress'> | null, address: ShippingAddressInput | null) {
  const [draft, setDraft] = useState('');
  const [applied, setApplied] = useState<string | null>(null);
  // A string key: the debounce waits for a pause in typing, not for a new object identity.
  const key = body === null ? null : JSON.stringify({ ...body, ...(address ? { shippingAddress: address } : {}), ...(applied ? { promoCode: applied } : {}) });
  const settledKey = useDebouncedValue(key, 400);
  const preview = usePricePreview(path, settledKey === null ? null : (JSON.parse(settledKey) as CheckoutPreviewInput));
  // A failed preview (the server says why on submit) falls back to the form's own sums, as before previews.
  const data = preview.isError ? undefined : preview.data;
  const settled = settledKey === key && !preview.isPlaceholderData;
  const fresh = !!data && settled;
  return {
    data,
    fresh,
    /**
     * The totals on screen are not yet the server's for what the form would send (the first answer included), and
     * asking did not fail: Place Order waits. Its button is disabled from the change that starts the wait, so a
     * click can never land in a gap and be dropped.
     */
    updating: key !== null && !fresh && !(settled && preview.isError),
    hasAddress: address !== null,
    /** What to send: the code only when the preview applied it (a refused one is shown and left out). */
    promoCode: data?.promoCode?.applied ? data.promoCode.code : undefined,
    code: {
      draft,
      setDraft,
      applied,
      apply: () => setApplied(draft.trim() === '' ? null : draft.trim()),
      remove: () => {
        setApplied(null);
        setDraft('');
      },
      /** The outcome shown belongs to the code on screen. */
      outcome: applied && data && settledKey === key ? data.promoCode : null,
    },
  };
}

export type PromoPreview = ReturnType<typeof usePromoPreview>;

/** What the entered code did, or why it was refused. */
function PromoOutcome({ outcome }: { outcome: CheckoutPreview['promoCode'] }) {
  if (!outcome) return null;
  if (outcome.applied) {
    return (
      <p className="field__hint" role="status">
        Code <strong>{outcome.code}</strong> applied: −{formatPrice(outcome.discount)}
      </p>
    );
  }
  return <FormError message={`Code ${outcome.code} was not applied: ${outcome.refusal?.message ?? 'it does not apply to this order'}`} />;
}

/** Discount, tax and total rows of a summary card, then the code field with its outcome. */
export function PromoSummary({ preview, localTotal }: { preview: PromoPreview; localTotal: number }) {
  const { data, code } = preview;
  const automatic = (data?.promotions ?? []).filter((p) => p.code === null);
  return (
    <>
      <p className="summary-row">
        <span>Discount</span>
        <span>{data && data.totals.discount > 0 ? `−${formatPrice(data.totals.discount)}` : formatPrice(0)}</span>
      </p>
      <p className="summary-row">
        <span>{taxLabel(data?.totals)}</span>
        <span>{preview.hasAddress ? formatPrice(data?.totals.tax ?? 0) : <span className="field__hint">from your address</span>}</span>
      </p>
      <p className="summary-row summary-row--total">
        <span>Total</span>
        <span>{formatPrice(data?.totals.total ?? localTotal)}</span>
      </p>
      <div className="promo-code">
        <TextField
          label="Promo code"
          value={code.draft}
          maxLength={40}
          autoComplete="off"
          onChange={(e) => code.setDraft(e.target.value)}
          onKeyDown={(e) => {
            // Enter applies the code instead of placing the order.
            if (e.key === 'Enter') {
              e.preventDefault();
              code.apply();
            }
          }}
        />
        <button type="button" className="button button--secondary button--small" onClick={code.apply}>
          Apply code
        </button>
        {code.applied ? (
          <button type="button" className="button button--secondary button--small" onClick={code.remove}>
            Remove code
          </button>
        ) : null}
      </div>
      <PromoOutcome outcome={code.outcome} />
      {automatic.length > 0 ? <p className="field__hint">Also applied: {automatic.map((p) => p.name).join(', ')}</p> : null}
    </>
  );
}
