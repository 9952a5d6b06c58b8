import { Link } from 'react-router';

/** The 403 view: a signed-in visitor whose role does not open this area (nothing of the area was fetched). */
export function ForbiddenMessage() {
  return (
    <section className="status-page" aria-labelledby="forbidden-title">
      <title>Access denied · Edge Shop</title>
      <p className="status-page__code" aria-hidden="true">
        403
      </p>
      <h1 id="forbidden-title">You don’t have access to this page</h1>
      <p className="status-page__text">This area is for the shop’s operators. If you think you should see it, ask an administrator.</p>
      <div className="status-page__actions">
        <Link className="button button--primary" to="/">
          Go to the home page
        </Link>
      </div>
    </section>
  );
}
