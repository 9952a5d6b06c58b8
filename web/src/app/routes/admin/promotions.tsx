import { useCategories } from '@/features/catalog/api/get-categories';
import { PromotionsManager } from '@/features/promotions/components/promotions-manager';

/** Platform promotions: paid by the platform (they come off the commission), on every seller's products. */
export function Component() {
  const categories = useCategories();
  return (
    <>
      <title>Promotions · Edge Shop</title>
      <div className="page__header">
        <h1>Promotions</h1>
      </div>
      <p className="page__lead">Platform-funded: the discount comes off the commission, sellers keep their earnings.</p>
      <PromotionsManager owner="admin" categories={categories.data ?? []} />
    </>
  );
}
