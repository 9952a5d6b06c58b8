import { ErrorState } from '@/components/ui/empty-state';
import { SkeletonRows } from '@/components/ui/skeleton';
import { useProfile } from '@/features/profile/api/get-profile';
import { AddressBook } from '@/features/profile/components/address-book';
import { PaymentMethods } from '@/features/profile/components/payment-methods';
import { ProfileForm } from '@/features/profile/components/profile-form';
import { getErrorMessage } from '@/lib/error-message';

export function Component() {
  const profile = useProfile();
  return (
    <div className="page container">
      <title>Your profile · Edge Shop</title>
      <div className="page__header">
        <h1>Your profile</h1>
      </div>
      {profile.isPending ? (
        <SkeletonRows rows={6} />
      ) : profile.isError ? (
        <ErrorState message={getErrorMessage(profile.error)} onRetry={() => void profile.refetch()} />
      ) : (
        <>
          <ProfileForm key={profile.data.id} profile={profile.data} />
          <AddressBook addresses={profile.data.addresses} />
          <PaymentMethods />
        </>
      )}
    </div>
  );
}
