import { useParams } from 'react-router';

import { NotFoundMessage } from '@/components/errors/not-found-message';
import { ErrorState } from '@/components/ui/empty-state';
import { Skeleton } from '@/components/ui/skeleton';
import { useSeller } from '@/features/catalog/api/get-seller';
import { PRODUCT_SORTS, ProductBrowser } from '@/features/catalog/components/product-browser';
import { isApiError } from '@/lib/api-client';
import { getErrorMessage } from '@/lib/error-message';

export function Component() {
  const { id = '' } = useParams();
  const seller = useSeller(id);

  if (seller.isError) {
    if (isApiError(seller.error) && (seller.error.status === 404 || seller.error.status === 400)) return <NotFoundMessage />;
    return (
      <div className="page container">
        <ErrorState message={getErrorMessage(seller.error)} onRetry={() => void seller.refetch()} />
      </div>
    );
  }

  const name = seller.data ? `${seller.data.firstName} ${seller.data.lastName}` : null;
  return (
    <div className="page container">
      <title>{`${name ?? 'Seller'} · Edge Shop`}</title>
      <header className="seller-card">
        {seller.data?.avatarUrl ? (
          <img className="avatar" src={seller.data.avatarUrl} alt="" width={48} height={48} />
        ) : (
          <span className="avatar" aria-hidden="true">
            {seller.data ? `${seller.data.firstName.charAt(0)}${seller.data.lastName.charAt(0)}` : ''}
          </span>
        )}
        <div>
          <h1>{name ?? <Skeleton className="skeleton--line" style={{ width: '12rem' }} />}</h1>
          {seller.data ? (
            <p className="page__lead">Member since {new Date(seller.data.createdAt).getFullYear()}</p>
          ) : null}
        </div>
      </header>
      <ProductBrowser sellerId={id} sortOptions={PRODUCT_SORTS} defaultSort="soldCount,DESC" searchLabel="Search this shop" />
    </div>
  );
}
