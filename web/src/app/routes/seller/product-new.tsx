import { Link, useNavigate } from 'react-router';

import { useCategories } from '@/features/catalog/api/get-categories';
import { useCreateProduct } from '@/features/seller/api/product-writes';
import { ProductForm, toCreateInput } from '@/features/seller/components/product-form';

export function Component() {
  const navigate = useNavigate();
  const categories = useCategories();
  const create = useCreateProduct({ onSuccess: () => void navigate('/seller/products') });

  return (
    <div className="page container">
      <title>New product · Edge Shop</title>
      <div className="page__header">
        <h1>New product</h1>
        <Link to="/seller/products">← My Products</Link>
      </div>
      <ProductForm
        categories={categories.data ?? []}
        pending={create.isPending}
        error={create.error}
        onSubmit={(values) => create.mutate(toCreateInput(values))}
      />
    </div>
  );
}
