import { useParams } from 'react-router';

import { NotFoundMessage } from '@/components/errors/not-found-message';
import { ErrorState } from '@/components/ui/empty-state';
import { Skeleton } from '@/components/ui/skeleton';
import { useCategory } from '@/features/catalog/api/get-categories';
import { ProductBrowser } from '@/features/catalog/components/product-browser';
import { isApiError } from '@/lib/api-client';
import { getErrorMessage } from '@/lib/error-message';

export function Component() {
  const { slug = '' } = useParams();
  const category = useCategory(slug);

  if (category.isError) {
    if (isApiError(category.error) && category.error.status === 404) return <NotFoundMessage />;
    return (
      <div className="page container">
        <ErrorState message={getErrorMessage(category.error)} onRetry={() => void category.refetch()} />
      </div>
    );
  }

  return (
    <div className="page container">
      <title>{`${category.data?.name ?? 'Category'} · Edge Shop`}</title>
      <div className="page__header">
        <h1>{category.data ? category.data.name : <Skeleton className="skeleton--line" style={{ width: '12rem' }} />}</h1>
      </div>
      {category.data ? (
        <ProductBrowser key={category.data.id} categoryId={category.data.id} searchLabel={`Search ${category.data.name}`} />
      ) : null}
    </div>
  );
}
