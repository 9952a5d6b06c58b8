import { useCategories } from '@/features/catalog/api/get-categories';
import { PromotionsManager } from '@/features/promotions/components/promotions-manager';

/** The seller portal's promotions: codes and automatic discounts on the seller's own products, paid by the seller. */
export function Component() {
  const categories = useCategories();
  return (
    <div className="page container">
      <title>Promotions · Edge Shop</title>
      <div className="page__header">
        <h1>Promotions</h1>
      </div>
      <p className="page__lead">Discounts on your own products, paid from your earnings. A buyer uses at most one code; each line gets the best discount on offer.</p>
      <PromotionsManager owner="seller" categories={categories.data ?? []} />
    </div>
  );
}
