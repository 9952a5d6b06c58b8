import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';

import { EmptyState, ErrorState } from '@/components/ui/empty-state';
import { Pagination } from '@/components/ui/pagination';
import { SkeletonRows } from '@/components/ui/skeleton';
import { StatusBadge } from '@/components/ui/status-badge';
import { useCreateCategory, useDeleteCategory, useRenameCategory, useSetProductStatus } from '@/features/admin/api/admin-api';
import { adminErrorMessage } from '@/features/admin/components/admin-error';
import { InlineConfirm } from '@/components/ui/inline-confirm';
import { useCategories } from '@/features/catalog/api/get-categories';
import { useProducts } from '@/features/catalog/api/get-products';
import { usePageParam } from '@/hooks/use-page-param';
import { getErrorMessage } from '@/lib/error-message';
import { formatPrice } from '@/lib/format';
import { toast } from '@/stores/toast-store';
import type { Category, ProductStatusFilter } from '@/types/api';

const STATUSES: ProductStatusFilter[] = ['ALL', 'ACTIVE', 'INACTIVE', 'DELETED'];

function Products({ onError }: { onError: (message: string) => void }) {
  const [params] = useSearchParams();
  const page = usePageParam();
  const status = STATUSES.find((s) => s === params.get('status')) ?? 'ALL';
  const products = useProducts({ page, size: 20, status, sort: 'createdAt,DESC' });
  const setStatus = useSetProductStatus();
  const act = (id: number, name: string, next: 'ACTIVE' | 'INACTIVE') =>
    setStatus.mutate(
      { id, status: next },
      { onSuccess: () => toast.success(next === 'ACTIVE' ? `${name} is visible again.` : `${name} is hidden from shoppers.`), onError: (err) => onError(adminErrorMessage(err)) },
    );

  return (
    <section aria-labelledby="products-title">
      <h2 id="products-title" className="section-title">
        Products
      </h2>
      <nav className="tabs" aria-label="Filter products by status">
        {STATUSES.map((s) => (
          <Link key={s} className="chip" to={{ search: s === 'ALL' ? '' : `?status=${s}` }} aria-current={s === status ? 'true' : undefined}>
            {s === 'ALL' ? 'All' : s.charAt(0) + s.slice(1).toLowerCase()}
          </Link>
        ))}
      </nav>
      {products.isPending && !products.data ? <SkeletonRows rows={5} /> : null}
      {products.error && !products.data ? <ErrorState message={getErrorMessage(products.error)} onRetry={() => void products.refetch()} /> : null}
      {products.data && products.data.data.length === 0 ? <EmptyState title="No products." /> : null}
      {products.data && products.data.data.length > 0 ? (
        <>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">Price</th>
                <th scope="col">Status</th>
                <th scope="col">Moderation</th>
              </tr>
            </thead>
            <tbody>
              {products.data.data.map((product) => (
                <tr key={product.id}>
                  <td data-label="Product" className="admin-break">
                    <Link to={`/products/${product.id}`}>{product.name}</Link>
                  </td>
                  <td data-label="Price">{formatPrice(product.price)}</td>
                  <td data-label="Status">
                    <StatusBadge status={product.status} />
                  </td>
                  <td data-label="Moderation">
                    {product.status === 'ACTIVE' ? (
                      <InlineConfirm label="Hide" question={`Hide ${product.name}?`} confirmLabel="Yes, hide" danger pending={setStatus.isPending} onConfirm={() => act(product.id, product.name, 'INACTIVE')} />
                    ) : (
                      <InlineConfirm label="Restore" question={`Show ${product.name} again?`} confirmLabel="Yes, restore" pending={setStatus.isPending} onConfirm={() => act(product.id, product.name, 'ACTIVE')} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pagination page={page} totalPages={products.data.meta.totalPages} label="Product pages" />
        </>
      ) : null}
    </section>
  );
}

function CategoryRow({ category, onError }: { category: Category; onError: (message: string) => void }) {
  const [name, setName] = useState(category.name);
  const rename = useRenameCategory();
  const remove = useDeleteCategory();
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!name.trim() || name.trim() === category.name) return;
    rename.mutate({ id: category.id, name: name.trim() }, { onSuccess: () => toast.success('Category renamed.'), onError: (err) => onError(adminErrorMessage(err)) });
  };
  return (
    <li className="admin-category">
      <form className="inline-confirm" onSubmit={onSubmit} aria-label={`Category ${category.name}`}>
        <label>
          <span className="visually-hidden">Name of {category.name}</span>
          <input className="input input--compact" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" className="button button--secondary button--small" disabled={rename.isPending || name.trim() === category.name}>
          Rename
        </button>
        <InlineConfirm
          label="Delete"
          question={`Delete ${category.name}?`}
          confirmLabel="Yes, delete"
          danger
          pending={remove.isPending}
          onConfirm={() => remove.mutate(category.id, { onSuccess: () => toast.success('Category deleted.'), onError: (err) => onError(adminErrorMessage(err)) })}
        />
      </form>
    </li>
  );
}

function Categories({ onError }: { onError: (message: string) => void }) {
  const categories = useCategories();
  const create = useCreateCategory();
  const [name, setName] = useState('');
  const [parentId, setParentId] = useState('');
  const roots = (categories.data ?? []).filter((c) => c.parentId === null);
  const onCreate = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!name.trim()) return onError('Give the new category a name.');
    create.mutate(
      { name: name.trim(), ...(parentId ? { parentId: Number(parentId) } : {}) },
      {
        onSuccess: () => {
          toast.success('Category created.');
          setName('');
        },
        onError: (err) => onError(adminErrorMessage(err)),
      },
    );
  };
  return (
    <section aria-labelledby="categories-title">
      <h2 id="categories-title" className="section-title">
        Categories
      </h2>
      <form className="form card admin-filters" onSubmit={onCreate} aria-label="New category">
        <label className="field">
          <span className="field__label">New category</span>
          <input className="input" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span className="field__label">Parent</span>
          <select className="input" value={parentId} onChange={(e) => setParentId(e.target.value)}>
            <option value="">None (top level)</option>
            {roots.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={create.isPending}>
            Create
          </button>
        </div>
      </form>
      {categories.error ? <ErrorState message={getErrorMessage(categories.error)} onRetry={() => void categories.refetch()} /> : null}
      <ul className="admin-categories">
        {roots.map((root) => (
          <li key={root.id}>
            <ul>
              <CategoryRow category={root} onError={onError} />
              {(categories.data ?? [])
                .filter((c) => c.parentId === root.id)
                .map((child) => (
                  <CategoryRow key={`${child.id}-${child.name}`} category={child} onError={onError} />
                ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Component() {
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <title>Catalog moderation · Edge Shop</title>
      <div className="page__header">
        <h1>Catalog moderation</h1>
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <Products onError={setError} />
      <Categories onError={setError} />
    </>
  );
}
