import { useNavigate, useParams } from 'react-router';

import { NotFoundMessage } from '@/components/errors/not-found-message';
import { EmptyState, ErrorState } from '@/components/ui/empty-state';
import { SkeletonRows } from '@/components/ui/skeleton';
import { useAddToCart } from '@/features/cart/api/add-to-cart';
import { useProduct } from '@/features/catalog/api/get-product';
import { useLaunch } from '@/features/launches/api/launches';
import { WaitingRoom } from '@/features/launches/components/waiting-room';
import { getErrorMessage } from '@/lib/error-message';

/** `/launch/:productId`: the buyer's place in a launch's line; once admitted, Buy now puts one in the cart and opens the checkout. */
export function Component() {
  const { productId: raw = '' } = useParams();
  const productId = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(productId)) return <NotFoundMessage />;
  return <LaunchPage key={productId} productId={productId} />;
}

function LaunchPage({ productId }: { productId: number }) {
  const navigate = useNavigate();
  const product = useProduct(productId);
  const launch = useLaunch(productId);
  const add = useAddToCart();

  if (product.isPending || launch.isPending) {
    return (
      <div className="page container">
        <SkeletonRows rows={4} />
      </div>
    );
  }
  if (product.isError || launch.isError) {
    return (
      <div className="page container">
        <ErrorState message={getErrorMessage(product.error ?? launch.error)} onRetry={() => void Promise.all([product.refetch(), launch.refetch()])} />
      </div>
    );
  }
  const p = product.data;
  const onBuy = () =>
    add.mutate(
      { productId, quantity: 1, product: { name: p.name, price: p.price, sellerId: p.sellerId, imageUrl: p.thumbnailUrl, stockAvailable: p.stockAvailable } },
      { onSuccess: () => void navigate(`/checkout?${new URLSearchParams({ seller: p.sellerId }).toString()}`) },
    );

  return (
    <div className="page container">
      <title>{`Line for ${p.name} · Edge Shop`}</title>
      <div className="page__header">
        <h1>{p.name}</h1>
      </div>
      {launch.data ? (
        <WaitingRoom launch={launch.data} onBuy={onBuy} buying={add.isPending} buyError={add.error} />
      ) : (
        <EmptyState title="No launch under way">This product sells without a line: buy it from its page.</EmptyState>
      )}
    </div>
  );
}
