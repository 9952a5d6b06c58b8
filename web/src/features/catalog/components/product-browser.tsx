import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useNavigation, useSearchParams } from 'react-router';

import { EmptyState } from '@/components/ui/empty-state';
import { SparkleIcon } from '@/components/ui/icons';
import { Pagination } from '@/components/ui/pagination';
import { useDebouncedValue } from '@/hooks/use-debounced-value';
import { usePageParam } from '@/hooks/use-page-param';
import { useProducts } from '@/features/catalog/api/get-products';
import { type SmartSearchMode, useSearchProducts, useSmartSearchProducts } from '@/features/catalog/api/search-products';
import { ProductGrid } from '@/features/catalog/components/product-grid';
import { SearchCombobox } from '@/features/catalog/components/search-combobox';
import { pluralize } from '@/lib/format';
import { toast } from '@/stores/toast-store';

const PAGE_SIZE = 20;
const MIN_QUERY = 2;
const DEBOUNCE_MS = 300;

type SearchMode = 'keyword' | SmartSearchMode;

const MODES: { value: SearchMode; label: ReactNode }[] = [
  { value: 'keyword', label: 'Keyword' },
  {
    value: 'ai',
    label: (
      <>
        <SparkleIcon className="icon-inline" /> Smart
      </>
    ),
  },
  { value: 'hybrid', label: 'Hybrid' },
];

export interface SortOption {
  label: string;
  value: string;
}

/** The catalog's orders, the same on every listing; Newest (the API's own default) unless a page chooses another. */
export const PRODUCT_SORTS: SortOption[] = [
  { label: 'Newest', value: 'createdAt,DESC' },
  { label: 'Most Sold', value: 'soldCount,DESC' },
  { label: 'Highest Rated', value: 'avgRating,DESC' },
  { label: 'Price ↑', value: 'price,ASC' },
  { label: 'Price ↓', value: 'price,DESC' },
];

interface ProductBrowserProps {
  /** Scope every listing and search to one category or one seller. */
  categoryId?: number | undefined;
  sellerId?: string | undefined;
  sortOptions?: SortOption[];
  /** The sort without `?sort=` (the first option when left out). */
  defaultSort?: string;
  searchLabel?: string;
}

const parseMode = (value: string | null): SearchMode => (value === 'ai' || value === 'hybrid' ? value : 'keyword');

/**
 * Listing + search with everything in the URL (`?q=`, `?mode=`, `?page=`, `?sort=`) so results are linkable and
 * survive a reload. Typing waits 300 ms and needs 2 characters before it searches; shorter input
 * shows the plain listing.
 */
export function ProductBrowser({ categoryId, sellerId, sortOptions, defaultSort = sortOptions?.[0]?.value, searchLabel = 'Search products' }: ProductBrowserProps) {
  const [params, setParams] = useSearchParams();
  const page = usePageParam();
  const q = (params.get('q') ?? '').trim();
  const mode = parseMode(params.get('mode'));
  const sort = params.get('sort') ?? defaultSort;
  const searching = q.length >= MIN_QUERY;
  const searchId = useId();

  const [input, setInput] = useState(q);
  const debounced = useDebouncedValue(input, DEBOUNCE_MS);
  // The last `q` this box wrote; any other change (back button, a nav link to plain /products) refills the box.
  const written = useRef(q);
  // While a navigation is pending (a product link clicked during the debounce, its page chunk still loading),
  // writing `?q=` would replace that navigation and send the shopper back to the list: wait until it settles.
  const navigating = useNavigation().state !== 'idle';

  useEffect(() => {
    if (q === written.current) return;
    written.current = q;
    setInput(q);
  }, [q]);

  useEffect(() => {
    if (navigating) return;
    const next = debounced.trim();
    setParams(
      (current) => {
        const wanted = next.length >= MIN_QUERY ? next : '';
        if ((current.get('q') ?? '') === wanted) return current;
        written.current = wanted;
        const updated = new URLSearchParams(current);
        if (wanted) updated.set('q', wanted);
        else updated.delete('q');
        updated.delete('page');
        return updated;
      },
      { replace: true },
    );
  }, [debounced, setParams, navigating]);

  const update = (changes: Record<string, string | null>) =>
    setParams((current) => {
      const updated = new URLSearchParams(current);
      for (const [key, value] of Object.entries(changes)) {
        if (value === null) updated.delete(key);
        else updated.set(key, value);
      }
      updated.delete('page');
      return updated;
    });

  const listing = useProducts({ page, size: PAGE_SIZE, sort, categoryId, sellerId }, { enabled: !searching });
  const keyword = useSearchProducts(
    { q, page, size: PAGE_SIZE, categoryId, sellerId },
    { enabled: searching && mode === 'keyword' },
  );
  const smart = useSmartSearchProducts(
    { q, mode: mode === 'hybrid' ? 'hybrid' : 'ai', limit: PAGE_SIZE, categoryId, sellerId },
    { enabled: searching && mode !== 'keyword' },
  );

  const fellBack = searching && mode !== 'keyword' && smart.data?.mode === 'fallback-keyword';
  useEffect(() => {
    if (fellBack) toast.info('Smart search is unavailable right now, so these are keyword results.');
  }, [fellBack, smart.data]);

  const active = !searching ? listing : mode === 'keyword' ? keyword : smart;
  const products = !searching ? listing.data?.data : mode === 'keyword' ? keyword.data?.data : smart.data?.results;
  const meta = !searching ? listing.data?.meta : mode === 'keyword' ? keyword.data?.meta : undefined;
  const total = meta?.totalElements ?? products?.length;

  return (
    <div className="product-browser">
      <div className="toolbar" role="search">
        <div className="toolbar__search field">
          <label className="field__label" htmlFor={searchId}>
            {searchLabel}
          </label>
          <SearchCombobox id={searchId} value={input} onChange={setInput} placeholder="Try “noise cancelling headphones”" />
        </div>
        <fieldset className="segmented">
          <legend className="visually-hidden">Search mode</legend>
          {MODES.map((option) => (
            <label key={option.value} className="segmented__option">
              <input
                className="segmented__input"
                type="radio"
                name={`${searchId}-mode`}
                value={option.value}
                checked={mode === option.value}
                onChange={() => update({ mode: option.value === 'keyword' ? null : option.value })}
              />
              <span className="segmented__face">{option.label}</span>
            </label>
          ))}
        </fieldset>
      </div>

      {sortOptions && !searching ? (
        <ul className="chip-list toolbar" aria-label="Sort by">
          {sortOptions.map((option) => (
            <li key={option.value}>
              <button
                type="button"
                className="chip"
                aria-pressed={sort === option.value}
                onClick={() => update({ sort: option.value })}
              >
                {option.label}
              </button>
            </li>
          ))}
        </ul>
      ) : null}

      <p className="result-count" aria-live="polite">
        {total === undefined
          ? '\u00a0'
          : searching
            ? `${pluralize(total, 'result')} for “${q}”${fellBack ? ' (keyword fallback)' : ''}`
            : pluralize(total, 'product')}
      </p>

      <ProductGrid
        products={products}
        isPending={active.isPending}
        error={active.error}
        onRetry={() => void active.refetch()}
        smartMatch={searching && mode !== 'keyword' && !fellBack}
        label="Products"
        empty={
          <EmptyState title={searching ? `Nothing matches “${q}”.` : 'No products here yet.'}>
            {searching ? <p>Try other words, or switch the search mode.</p> : null}
          </EmptyState>
        }
      />
      {meta ? <Pagination page={meta.page} totalPages={meta.totalPages} /> : null}
    </div>
  );
}
