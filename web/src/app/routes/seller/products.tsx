import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';

import { Pagination } from '@/components/ui/pagination';
import { usePageParam } from '@/hooks/use-page-param';
import { useMyProducts } from '@/features/seller/api/get-my-products';
import { MyProductsTable } from '@/features/seller/components/my-products-table';
import { useCurrentUser } from '@/stores/auth-store';
import type { ProductStatusFilter } from '@/types/api';

const SORTS = [
  { label: 'Newest', value: 'newest', sort: 'createdAt,DESC', ratedOnly: undefined },
  { label: 'Most Sold', value: 'sold', sort: 'soldCount,DESC', ratedOnly: undefined },
  { label: 'Highest Rated', value: 'rated', sort: 'avgRating,DESC', ratedOnly: true },
] as const;

// The owner's table shows every status by default (`ALL`); the others narrow it.
const STATUSES: ProductStatusFilter[] = ['ALL', 'ACTIVE', 'INACTIVE', 'DELETED'];

export function Component() {
  const user = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const page = usePageParam();
  const sortOption = SORTS.find((s) => s.value === params.get('sort')) ?? SORTS[0];
  const statusParam = params.get('status');
  const status = STATUSES.find((s) => s === statusParam) ?? 'ALL';
  const q = params.get('q') ?? '';
  const [input, setInput] = useState(q);

  const list = useMyProducts({ sellerId: user?.id ?? '', page, sort: sortOption.sort, status, ratedOnly: sortOption.ratedOnly, q: q || undefined });

  const update = (key: string, value: string | null) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (value === null) next.delete(key);
      else next.set(key, value);
      next.delete('page');
      return next;
    });

  const onSearch = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    update('q', input.trim() || null);
  };

  return (
    <div className="page container">
      <title>My Products · Edge Shop</title>
      <div className="page__header">
        <h1>My Products</h1>
        <Link className="button button--primary" to="/seller/products/new">
          + New Product
        </Link>
      </div>
      <div className="toolbar">
        <ul className="chip-list" aria-label="Sort by">
          {SORTS.map((option) => (
            <li key={option.value}>
              <button
                type="button"
                className="chip"
                aria-pressed={sortOption.value === option.value}
                onClick={() => update('sort', option.value === 'newest' ? null : option.value)}
              >
                {option.label}
              </button>
            </li>
          ))}
        </ul>
        <div className="field">
          <label className="field__label" htmlFor="status-filter">
            Status
          </label>
          <select id="status-filter" className="input" value={status} onChange={(e) => update('status', e.target.value === 'ALL' ? null : e.target.value)}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.charAt(0) + s.slice(1).toLowerCase()}
              </option>
            ))}
          </select>
        </div>
        <form className="toolbar" role="search" onSubmit={onSearch}>
          <div className="field">
            <label className="field__label" htmlFor="product-search">
              Name, SKU or ID
            </label>
            <input id="product-search" className="input" type="search" value={input} onChange={(e) => setInput(e.target.value)} />
          </div>
          <button type="submit" className="button button--secondary">
            Find
          </button>
          {q ? (
            <button
              type="button"
              className="button button--link"
              onClick={() => {
                setInput('');
                update('q', null);
              }}
            >
              Show all
            </button>
          ) : null}
        </form>
      </div>
      <MyProductsTable products={list.data?.data} isPending={list.isPending} error={list.error} onRetry={() => void list.refetch()} />
      {list.data ? <Pagination page={list.data.meta.page} totalPages={list.data.meta.totalPages} /> : null}
    </div>
  );
}
