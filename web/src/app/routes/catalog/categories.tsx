import { CategoryGrid } from '@/features/catalog/components/category-grid';

export function Component() {
  return (
    <div className="page container">
      <title>Categories · Edge Shop</title>
      <div className="page__header">
        <h1>Shop by category</h1>
      </div>
      <CategoryGrid />
    </div>
  );
}
