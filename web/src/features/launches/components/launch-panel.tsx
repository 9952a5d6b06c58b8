import { Link } from 'react-router';

import { formatDateTime } from '@/lib/format';
import type { Launch } from '@/types/api';

/**
 * On a launched product's page, instead of Add to Cart: the line to join, and when admissions start. The link loads
 * a new document so the waiting page runs under its own CSP, the one that lets Turnstile in (web/public/_headers).
 */
export function LaunchPanel({ launch }: { launch: Launch }) {
  return (
    <div className="product-info__buy" data-launch={launch.status}>
      <p className="form__note">
        {launch.status === 'upcoming' ? `Launching ${formatDateTime(launch.startsAt)}.` : 'Launch under way.'} Buyers are let in first come, first served.
      </p>
      <Link className="button button--primary button--large" to={`/launch/${launch.productId}`} reloadDocument>
        Join the line
      </Link>
    </div>
  );
}
