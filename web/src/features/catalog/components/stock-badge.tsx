/** out of stock / "only N left" (≤5) / N available. */
export function StockBadge({ available }: { available: number }) {
  if (available <= 0) return <span className="badge badge--danger">Out of stock</span>;
  if (available <= 5) return <span className="badge badge--warning">Only {available} left</span>;
  return <span className="badge badge--success">{available} available</span>;
}
