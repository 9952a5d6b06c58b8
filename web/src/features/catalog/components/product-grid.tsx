import type { ReactNode } from 'react';

import { EmptyState, ErrorState } from '@/components/ui/empty-state';
import { SkeletonCardGrid } from '@/components/ui/skeleton';
import { ProductCard } from '@/features/catalog/components/product-card';
import { getErrorMessage } from '@/lib/error-message';
import type { ProductSummary } from '@/types/api';

interface ProductGridProps {
  products: ProductSummary[] | undefined;
  isPending: boolean;
  error: unknown;
  onRetry?: () => void;
  skeletonCount?: number;
  smartMatch?: boolean;
  empty?: ReactNode;
  label?: string;
}

/** The product grid with its three other states: skeleton, error with retry, and empty. */
export function ProductGrid({ products, isPending, error, onRetry, skeletonCount = 8, smartMatch, empty, label }: ProductGridProps) {
  if (isPending && !products) return <SkeletonCardGrid count={skeletonCount} />;
  if (error && !products) return <ErrorState message={getErrorMessage(error)} onRetry={onRetry} />;
  if (!products || products.length === 0) return <>{empty ?? <EmptyState title="No products found." />}</>;
  return (
    <ul className="product-grid" aria-label={label}>
      {products.map((product) => (
        <ProductCard key={product.id} product={product} smartMatch={smartMatch} />
      ))}
    </ul>
  );
}
