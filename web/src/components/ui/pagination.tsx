import { Link, useLocation, useSearchParams } from 'react-router';

interface PaginationProps {
  page: number;
  totalPages: number;
  /** Names the landmark when a page has more than one list. */
  label?: string;
}

/** Previous / page N of M / Next as links that keep every other query parameter (`?page=` is 1-based). */
export function Pagination({ page, totalPages, label = 'Pagination' }: PaginationProps) {
  const [params] = useSearchParams();
  const { pathname } = useLocation();
  if (totalPages <= 1) return null;

  const hrefFor = (target: number) => {
    const next = new URLSearchParams(params);
    if (target <= 1) next.delete('page');
    else next.set('page', String(target));
    const search = next.toString();
    return search ? `${pathname}?${search}` : pathname;
  };

  return (
    <nav className="pagination" aria-label={label}>
      {page > 1 ? (
        <Link className="button button--secondary button--small" to={hrefFor(page - 1)} rel="prev">
          ← Previous
        </Link>
      ) : (
        <span className="button button--secondary button--small" aria-disabled="true">
          ← Previous
        </span>
      )}
      <span className="pagination__status" aria-current="page">
        Page {page} of {totalPages}
      </span>
      {page < totalPages ? (
        <Link className="button button--secondary button--small" to={hrefFor(page + 1)} rel="next">
          Next →
        </Link>
      ) : (
        <span className="button button--secondary button--small" aria-disabled="true">
          Next →
        </span>
      )}
    </nav>
  );
}
