import { Link, useParams } from 'react-router';

import { NotFoundMessage } from '@/components/errors/not-found-message';
import { ErrorState } from '@/components/ui/empty-state';
import { RatingStars } from '@/components/ui/rating-stars';
import { LoadingRegion, Skeleton } from '@/components/ui/skeleton';
import { AddToCartForm } from '@/features/cart/components/add-to-cart-form';
import { useCategories } from '@/features/catalog/api/get-categories';
import { useProduct, useRelatedProducts } from '@/features/catalog/api/get-product';
import { useLiveStock } from '@/features/catalog/api/live-stock';
import { ProductGallery } from '@/features/catalog/components/product-gallery';
import { ProductGrid } from '@/features/catalog/components/product-grid';
import { ProductReviews } from '@/features/catalog/components/product-reviews';
import { SellerName } from '@/features/catalog/components/seller-name';
import { StockBadge } from '@/features/catalog/components/stock-badge';
import { useLaunch } from '@/features/launches/api/launches';
import { LaunchPanel } from '@/features/launches/components/launch-panel';
import { isApiError } from '@/lib/api-client';
import { getErrorMessage } from '@/lib/error-message';
import { formatPrice } from '@/lib/format';

function RelatedProducts({ productId }: { productId: number }) {
  const related = useRelatedProducts(productId);
  // Related products are a bonus: when they fail or are empty the section simply stays away.
  if (related.isError || (related.data && related.data.data.length === 0)) return null;
  return (
    <section aria-labelledby="related-title">
      <h2 id="related-title" className="section-title">
        Related products
      </h2>
      <ProductGrid products={related.data?.data} isPending={related.isPending} error={null} skeletonCount={4} label="Related products" />
    </section>
  );
}

function ProductSkeleton() {
  return (
    <LoadingRegion label="Loading product…">
      <div className="product-detail" aria-hidden="true">
        <Skeleton className="skeleton--image" />
        <div>
          <Skeleton className="skeleton--line" />
          <Skeleton className="skeleton--line skeleton--short" />
          <Skeleton className="skeleton--block" />
        </div>
      </div>
    </LoadingRegion>
  );
}

export function Component() {
  const { id = '' } = useParams();
  const productId = /^\d+$/.test(id) ? Number(id) : NaN;
  if (!Number.isSafeInteger(productId)) return <NotFoundMessage />;
  return <ProductPage key={productId} productId={productId} />;
}

function ProductPage({ productId }: { productId: number }) {
  const product = useProduct(productId);
  const categories = useCategories();
  // While the page is open, the count follows every order, cancellation and restock (pushed, no polling).
  const stockLive = useLiveStock(productId, { enabled: product.data?.status === 'ACTIVE' });
  // Asked beside the product, not after it: the buy box waits for both, so no request waits on another.
  const launch = useLaunch(productId);

  if (product.isPending) {
    return (
      <div className="page container">
        <ProductSkeleton />
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

  const p = product.data;
  const category = categories.data?.find((c) => c.id === p.categoryId);

  return (
    <div className="page container">
      <title>{`${p.name} · Edge Shop`}</title>
      <div className="product-detail">
        <ProductGallery images={p.images} name={p.name} />
        <div className="product-info">
          <h1>{p.name}</h1>
          <RatingStars rating={p.avgRating} count={p.ratingCount} />
          <p className="product-info__price">{formatPrice(p.price)}</p>
          <div className="chip-list">
            <span className="stock-live" aria-live="polite" data-stock-live={stockLive}>
              <StockBadge available={p.stockAvailable} />
            </span>
            {p.soldCount > 0 ? <span className="badge badge--neutral">{p.soldCount} sold</span> : null}
            {p.status !== 'ACTIVE' ? <span className="badge badge--danger">{p.status}</span> : null}
          </div>
          {/* The buy box right under the price, so a phone shows name, price and Add to Cart on the first screen. */}
          {p.status === 'ACTIVE' && launch.data ? <LaunchPanel launch={launch.data} /> : null}
          {/* While the launch is being looked up the buy box waits, so it never offers a cart a launch would refuse (the server refuses it anyway). */}
          {p.status === 'ACTIVE' && (launch.data === null || launch.isError) ? (
            <AddToCartForm
              productId={p.id}
              product={{
                name: p.name,
                price: p.price,
                sellerId: p.sellerId,
                imageUrl: p.thumbnailUrl,
                stockAvailable: p.stockAvailable,
              }}
            />
          ) : null}
          <ul className="chip-list" aria-label="Product links">
            {p.categoryName ? (
              <li>
                <Link className="chip" to={category ? `/categories/${category.slug}` : '/categories'}>
                  {p.categoryName}
                </Link>
              </li>
            ) : null}
            <li>
              <Link className="chip" to={`/sellers/${p.sellerId}`}>
                Sold by&nbsp;<SellerName sellerId={p.sellerId} />
              </Link>
            </li>
          </ul>
          {p.description ? <p>{p.description}</p> : null}
        </div>
      </div>
      <section aria-labelledby="reviews-title">
        <h2 id="reviews-title" className="section-title">
          Reviews
        </h2>
        <ProductReviews productId={p.id} />
      </section>
      <RelatedProducts productId={p.id} />
    </div>
  );
}
