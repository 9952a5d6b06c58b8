import { Link } from 'react-router';

import { ErrorState } from '@/components/ui/empty-state';
import { LoadingRegion, Skeleton } from '@/components/ui/skeleton';
import { useCategories } from '@/features/catalog/api/get-categories';
import { getErrorMessage } from '@/lib/error-message';

/** Category cards: the initial as an avatar plus the name (/categories). */
export function CategoryGrid() {
  const categories = useCategories();
  if (categories.isPending) {
    return (
      <LoadingRegion label="Loading categories…">
        <div className="category-grid" aria-hidden="true">
          {Array.from({ length: 8 }, (_, i) => (
            <Skeleton key={i} className="skeleton--row" />
          ))}
        </div>
      </LoadingRegion>
    );
  }
  if (categories.isError) return <ErrorState message={getErrorMessage(categories.error)} onRetry={() => void categories.refetch()} />;
  return (
    <ul className="category-grid">
      {categories.data.map((category) => (
        <li key={category.id}>
          <Link className="category-card" to={`/categories/${category.slug}`}>
            <span className="avatar" aria-hidden="true">
              {category.name.charAt(0)}
            </span>
            {category.name}
          </Link>
        </li>
      ))}
    </ul>
  );
}
