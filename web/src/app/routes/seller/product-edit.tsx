import { Link, useNavigate, useParams } from 'react-router';

import { NotFoundMessage } from '@/components/errors/not-found-message';
import { ErrorState } from '@/components/ui/empty-state';
import { SkeletonRows } from '@/components/ui/skeleton';
import { useCategories } from '@/features/catalog/api/get-categories';
import { LaunchControl } from '@/features/launches/components/launch-control';
import { useMyProduct } from '@/features/seller/api/get-my-products';
import { useUpdateProduct } from '@/features/seller/api/product-writes';
import { ProductForm, toUpdateInput } from '@/features/seller/components/product-form';
import { isApiError } from '@/lib/api-client';
import { getErrorMessage } from '@/lib/error-message';
import { useCurrentUser } from '@/stores/auth-store';

export function Component() {
  const { id = '' } = useParams();
  const productId = /^\d+$/.test(id) ? Number(id) : 0;
  const navigate = useNavigate();
  const user = useCurrentUser();
  const categories = useCategories();
  const product = useMyProduct(productId, { enabled: productId > 0 });
  const update = useUpdateProduct({ onSuccess: () => void navigate('/seller/products') });

  if (productId <= 0) return <NotFoundMessage />;
  if (product.isPending) {
    return (
      <div className="page container">
        <SkeletonRows rows={8} />
      </div>
    );
  }
  if (product.isError) {
    if (isApiError(product.error) && product.error.status === 404) return <NotFoundMessage />;
    return (
      <div className="page container">
        <ErrorState message={getErrorMessage(product.error)} onRetry={() => void product.refetch()} />
      </div>
    );
  }
  if (product.data.sellerId !== user?.id) return <NotFoundMessage />;

  return (
    <div className="page container">
      <title>{`Edit ${product.data.name} · Edge Shop`}</title>
      <div className="page__header">
        <h1>Edit product</h1>
        <Link to="/seller/products">← My Products</Link>
      </div>
      <ProductForm
        key={`${product.data.id}-${product.data.version}`}
        product={product.data}
        categories={categories.data ?? []}
        pending={update.isPending}
        error={update.error}
        onSubmit={(values) => update.mutate({ id: productId, input: toUpdateInput(values, product.data.version) })}
      />
      {product.data.status === 'ACTIVE' ? <LaunchControl productId={productId} /> : null}
    </div>
  );
}
