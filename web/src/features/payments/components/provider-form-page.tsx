import type { ReactNode } from 'react';

import { ErrorState } from '@/components/ui/empty-state';
import { SkeletonRows } from '@/components/ui/skeleton';
import { usePaymentProvider } from '@/features/payments/api/get-payment-provider';
import { ProviderPaymentForm } from '@/features/payments/components/provider-payment-form';
import { getErrorMessage } from '@/lib/error-message';

type FormProps = Omit<Parameters<typeof ProviderPaymentForm>[0], 'publishableKey'>;

/**
 * A page holding the provider's form (under `/checkout/…`, the only paths whose CSP admits the provider's origins;
 * reached by a full page load). `form` is null while the intent is not known yet or nothing waits for the buyer.
 */
export function ProviderFormPage({ title, intro, form, fallback }: { title: string; intro: ReactNode; form: FormProps | null; fallback: ReactNode }) {
  const provider = usePaymentProvider();
  const body = provider.isPending ? (
    <SkeletonRows rows={3} />
  ) : provider.isError ? (
    <ErrorState message={getErrorMessage(provider.error)} onRetry={() => void provider.refetch()} />
  ) : !form ? (
    fallback
  ) : provider.data.publishableKey ? (
    <ProviderPaymentForm key={form.clientSecret} publishableKey={provider.data.publishableKey} {...form} />
  ) : (
    <ErrorState message="Card payments are not set up on this shop yet (no publishable key). Nothing was charged." />
  );
  return (
    <div className="page container">
      <title>{`${title} · Edge Shop`}</title>
      <div className="page__header">
        <h1>{title}</h1>
      </div>
      {intro}
      {body}
    </div>
  );
}
