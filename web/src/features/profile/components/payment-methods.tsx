import { EmptyState, ErrorState } from '@/components/ui/empty-state';
import { SkeletonRows } from '@/components/ui/skeleton';
import { InlineConfirm } from '@/components/ui/inline-confirm';
import { useDeletePaymentMethod, usePaymentMethods, useSetDefaultPaymentMethod, useStartCardSetup } from '@/features/profile/api/payment-methods';
import { getErrorMessage } from '@/lib/error-message';
import { toast } from '@/stores/toast-store';
import type { SavedPaymentMethod } from '@/types/api';

const cardName = (card: SavedPaymentMethod) => `${card.brand.toUpperCase()} ending ${card.last4}`;

function PaymentMethodCard({ card }: { card: SavedPaymentMethod }) {
  const remove = useDeletePaymentMethod();
  const makeDefault = useSetDefaultPaymentMethod();
  const name = cardName(card);
  return (
    <div className="card">
      <p>
        <strong>{name}</strong> {card.isDefault ? <span className="badge badge--info">Default</span> : null}
      </p>
      <p>
        Expires {String(card.expMonth).padStart(2, '0')}/{card.expYear}
      </p>
      <div className="form__actions">
        {!card.isDefault ? (
          <button type="button" className="button button--secondary button--small" disabled={makeDefault.isPending} onClick={() => makeDefault.mutate(card.id)}>
            Make default<span className="visually-hidden"> ({name})</span>
          </button>
        ) : null}
        <InlineConfirm
          label="Remove"
          name={name}
          confirmLabel="Confirm remove"
          pendingLabel="Removing…"
          danger
          pending={remove.isPending}
          onConfirm={() => remove.mutateAsync(card.id).then(() => toast.success('Card removed.'))}
        />
      </div>
    </div>
  );
}

/**
 * The buyer's cards saved at the payment provider. *Add a card* opens the provider's own page or form (card numbers
 * never pass through the shop); the buyer comes back here once the card is saved.
 */
export function PaymentMethods() {
  const methods = usePaymentMethods();
  const setup = useStartCardSetup();
  // A full page load either way: the simulated provider's page, or the real provider's form under /checkout/ (its CSP).
  const addCard = () =>
    setup.mutate(undefined, {
      onSuccess: ({ nextAction }) => window.location.assign(nextAction.url ?? `/checkout/cards/new#${encodeURIComponent(nextAction.clientSecret)}`),
    });
  return (
    <section aria-labelledby="payment-methods-title">
      <div className="page__header section-title">
        <h2 id="payment-methods-title">Payment methods</h2>
        <button type="button" className="button button--secondary" disabled={setup.isPending} onClick={addCard}>
          + Add a card
        </button>
      </div>
      {methods.isPending ? (
        <SkeletonRows rows={2} />
      ) : methods.isError ? (
        <ErrorState message={getErrorMessage(methods.error)} onRetry={() => void methods.refetch()} />
      ) : methods.data?.length ? (
        <div className="form__row">
          {methods.data.map((card) => (
            <PaymentMethodCard key={card.id} card={card} />
          ))}
        </div>
      ) : (
        <EmptyState title="No saved cards yet.">
          <p>Save one and orders placed without a payment step are paid with your default card.</p>
        </EmptyState>
      )}
    </section>
  );
}
