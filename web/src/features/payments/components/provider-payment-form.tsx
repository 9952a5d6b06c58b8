import { type FormEvent, useEffect, useRef, useState } from 'react';
import { loadStripe } from '@stripe/stripe-js/pure';
import type { Stripe, StripeElements, StripeError, StripePaymentElement } from '@stripe/stripe-js';

import { FormError } from '@/components/ui/form-field';
import { declineMessage } from '@/lib/payment-messages';

/** Which intent the form confirms: a payment (`confirmPayment`) or a card to save (`confirmSetup`). */
export type ProviderIntentKind = 'payment' | 'setup';

const UNREACHABLE = 'The payment form could not load. Check your connection and reload the page.';

/** A provider error from `confirmPayment` / `confirmSetup` as advice for the buyer. */
export function providerErrorMessage(error: Pick<StripeError, 'type' | 'code' | 'decline_code' | 'message'>): string {
  if (error.code?.endsWith('_authentication_failure')) return declineMessage('authentication_failed');
  if (error.type === 'card_error') return error.code === 'card_declined' ? declineMessage(error.decline_code ?? '') : (error.message ?? declineMessage(''));
  if (error.type === 'validation_error') return error.message ?? 'Check the card details.';
  return 'The payment provider did not answer. Nothing was charged; try again.';
}

interface Mounted {
  stripe: Stripe;
  elements: StripeElements;
}

/** Loads the provider's script (from its own origin, on this page only) and mounts its Payment Element for the intent. */
function useMountedPaymentElement(publishableKey: string, clientSecret: string, onError: (message: string) => void) {
  const target = useRef<HTMLDivElement>(null);
  const [mounted, setMounted] = useState<Mounted | null>(null);
  useEffect(() => {
    let cancelled = false;
    let element: StripePaymentElement | undefined;
    loadStripe(publishableKey).then(
      (stripe) => {
        if (cancelled || !target.current) return;
        if (!stripe) return onError(UNREACHABLE);
        const elements = stripe.elements({ clientSecret });
        element = elements.create('payment');
        element.mount(target.current);
        setMounted({ stripe, elements });
      },
      () => {
        if (!cancelled) onError(UNREACHABLE);
      },
    );
    return () => {
      cancelled = true;
      element?.destroy();
    };
  }, [publishableKey, clientSecret, onError]);
  return { target, mounted };
}

interface ProviderPaymentFormProps {
  publishableKey: string;
  kind: ProviderIntentKind;
  clientSecret: string;
  /** Where the provider brings the buyer back after a redirect (3-D Secure on the bank's page). */
  returnPath: string;
  submitLabel: string;
  /** The provider accepted the card (no redirect was needed); the signed webhook still decides the payment. */
  onConfirmed: () => void;
}

/**
 * The provider's own card form (Stripe's Payment Element): card numbers never reach the shop. Confirms with
 * `redirect: 'if_required'`, so 3-D Secure opens in the provider's frame (or the bank's page, returning to
 * `returnPath`), and a decline or a failed check is shown here so the buyer can try another card.
 */
export function ProviderPaymentForm({ publishableKey, kind, clientSecret, returnPath, submitLabel, onConfirmed }: ProviderPaymentFormProps) {
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const { target, mounted } = useMountedPaymentElement(publishableKey, clientSecret, setError);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!mounted) return;
    setSubmitting(true);
    setError(null);
    const options = { elements: mounted.elements, confirmParams: { return_url: new URL(returnPath, window.location.origin).href }, redirect: 'if_required' as const };
    const result = kind === 'payment' ? await mounted.stripe.confirmPayment(options) : await mounted.stripe.confirmSetup(options);
    setSubmitting(false);
    if (result.error) setError(providerErrorMessage(result.error));
    else onConfirmed();
  };

  return (
    <form className="form" aria-label="Card details" onSubmit={(event) => void submit(event)}>
      <div ref={target} data-testid="provider-payment-element" />
      <FormError message={error} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={!mounted || submitting}>
          {submitting ? 'Confirming…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
