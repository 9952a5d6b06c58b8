import { Link } from 'react-router';

import { EmptyState, ErrorState } from '@/components/ui/empty-state';
import { InlineConfirm } from '@/components/ui/inline-confirm';
import { SkeletonRows } from '@/components/ui/skeleton';
import { StatusBadge } from '@/components/ui/status-badge';
import { useDeleteProduct } from '@/features/seller/api/product-writes';
import { getErrorMessage } from '@/lib/error-message';
import { formatDate, formatPrice } from '@/lib/format';
import type { ProductSummary } from '@/types/api';

function DeleteButton({ product }: { product: ProductSummary }) {
  const remove = useDeleteProduct();
  if (product.status === 'DELETED') return null;
  return (
    <InlineConfirm label="Delete" name={product.name} confirmLabel="Confirm delete" pendingLabel="Deleting…" danger pending={remove.isPending} onConfirm={() => remove.mutateAsync(product.id)} />
  );
}

interface MyProductsTableProps {
  products: ProductSummary[] | undefined;
  isPending: boolean;
  error: unknown;
  onRetry: () => void;
}

/** "My Products" rows with Edit and an inline-confirmed Delete (soft delete). */
export function MyProductsTable({ products, isPending, error, onRetry }: MyProductsTableProps) {
  if (isPending && !products) return <SkeletonRows rows={6} />;
  if (error && !products) return <ErrorState message={getErrorMessage(error)} onRetry={onRetry} />;
  if (!products || products.length === 0) {
    return (
      <EmptyState
        title="No products match."
        action={
          <Link className="button button--primary" to="/seller/products/new">
            + New Product
          </Link>
        }
      />
    );
  }
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">ID</th>
          <th scope="col">Created</th>
          <th scope="col">Price</th>
          <th scope="col">Available</th>
          <th scope="col">Sold</th>
          <th scope="col">Status</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {products.map((product) => (
          <tr key={product.id}>
            <td data-label="Name">
              <Link to={`/products/${product.id}`}>{product.name}</Link>
            </td>
            <td data-label="ID">{product.id}</td>
            <td data-label="Created">{formatDate(product.createdAt)}</td>
            <td data-label="Price">{formatPrice(product.price)}</td>
            <td data-label="Available">{product.stockAvailable}</td>
            <td data-label="Sold">{product.soldCount}</td>
            <td data-label="Status">
              <StatusBadge status={product.status} />
            </td>
            <td data-label="Actions">
              <div className="table__actions">
                <Link className="button button--secondary button--small" to={`/seller/products/${product.id}/edit`}>
                  Edit<span className="visually-hidden"> {product.name}</span>
                </Link>
                <DeleteButton product={product} />
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
