import { formatPrice } from '@/lib/format';
import type { AdminSummary } from '@/types/api';

const WIDTH = 300;
const HEIGHT = 80;

/**
 * Orders per day for the last 30 days as inline SVG bars (no chart library). The figures are also given as text
 * (the busiest day and the totals), so the chart is decoration for sighted users, not the only carrier of data.
 */
export function OrdersChart({ daily }: { daily: AdminSummary['daily'] }) {
  const max = Math.max(1, ...daily.map((day) => day.orders));
  const barWidth = WIDTH / daily.length;
  const busiest = daily.reduce((best, day) => (day.orders > best.orders ? day : best), daily[0] ?? { date: '', orders: 0, revenue: 0 });
  return (
    <figure className="admin-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="orders-chart-caption" preserveAspectRatio="none">
        {daily.map((day, i) => {
          const height = (day.orders / max) * (HEIGHT - 4);
          return (
            <rect key={day.date} x={i * barWidth + 1} y={HEIGHT - height} width={Math.max(1, barWidth - 2)} height={height} className="admin-chart__bar">
              <title>{`${day.date}: ${day.orders} orders, ${formatPrice(day.revenue)}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption id="orders-chart-caption" className="field__hint">
        Orders per day, last 30 days{busiest.orders > 0 ? ` — busiest ${busiest.date} with ${busiest.orders}` : ' — no orders yet'}.
      </figcaption>
    </figure>
  );
}
