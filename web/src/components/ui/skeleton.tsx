import type { CSSProperties, ReactNode } from 'react';

/** Grey placeholder blocks in the shape of the content being loaded; hidden from assistive tech. */
export function Skeleton({ className = '', style }: { className?: string; style?: CSSProperties }) {
  return <span className={`skeleton ${className}`} style={style} aria-hidden="true" />;
}

/** A busy region with one spoken "Loading…" instead of a dozen silent grey boxes. */
export function LoadingRegion({ label = 'Loading…', children }: { label?: string; children: ReactNode }) {
  return (
    <div role="status" aria-live="polite">
      <span className="visually-hidden">{label}</span>
      {children}
    </div>
  );
}

export function SkeletonCardGrid({ count = 8 }: { count?: number }) {
  return (
    <LoadingRegion label="Loading products…">
      <ul className="product-grid" aria-hidden="true">
        {Array.from({ length: count }, (_, i) => (
          <li key={i} className="product-card product-card--skeleton">
            <Skeleton className="skeleton--image" />
            <Skeleton className="skeleton--line" />
            <Skeleton className="skeleton--line skeleton--short" />
          </li>
        ))}
      </ul>
    </LoadingRegion>
  );
}

export function SkeletonRows({ rows = 5 }: { rows?: number }) {
  return (
    <LoadingRegion>
      <div className="skeleton-rows" aria-hidden="true">
        {Array.from({ length: rows }, (_, i) => (
          <Skeleton key={i} className="skeleton--row" />
        ))}
      </div>
    </LoadingRegion>
  );
}
