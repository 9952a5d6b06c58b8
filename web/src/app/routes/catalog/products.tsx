import { PRODUCT_SORTS, ProductBrowser } from '@/features/catalog/components/product-browser';

export function Component() {
  return (
    <div className="page container">
      <title>Products · Edge Shop</title>
      <div className="page__header">
        <h1>All products</h1>
      </div>
      <ProductBrowser sortOptions={PRODUCT_SORTS} />
    </div>
  );
}
