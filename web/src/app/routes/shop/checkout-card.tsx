import { Link, useLocation, useNavigate } from 'react-router';

import { ProviderFormPage } from '@/features/payments/components/provider-form-page';
import { toast } from '@/stores/toast-store';

/**
 * `/checkout/cards/new#<setup client secret>`: the real provider's card form for saving a card (the profile's
 * "Add a card" opens it with a full page load). The secret rides in the fragment, which is never sent to a server
 * nor in a Referer. The card is listed once the provider's signed webhook records it.
 */
export function Component() {
  const navigate = useNavigate();
  const clientSecret = decodeURIComponent(useLocation().hash.slice(1));
  const done = () => {
    toast.success('Card accepted. It appears in your payment methods once the provider confirms it.');
    void navigate('/profile');
  };
  const form = clientSecret ? { kind: 'setup' as const, clientSecret, returnPath: '/profile', submitLabel: 'Save card', onConfirmed: done } : null;
  const fallback = (
    <p>
      This link has expired. <Link to="/profile">Back to your profile</Link> to add a card again.
    </p>
  );
  return <ProviderFormPage title="Add a card" intro={<p>Your card is kept by the payment provider, never by the shop.</p>} form={form} fallback={fallback} />;
}
