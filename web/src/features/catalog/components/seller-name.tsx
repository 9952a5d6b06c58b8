import { useSeller } from '@/features/catalog/api/get-seller';

/** A seller's display name from the public card; falls back to a neutral label while loading or if unknown. */
export function SellerName({ sellerId }: { sellerId: string }) {
  const seller = useSeller(sellerId);
  return <>{seller.data ? `${seller.data.firstName} ${seller.data.lastName}` : 'this seller'}</>;
}
