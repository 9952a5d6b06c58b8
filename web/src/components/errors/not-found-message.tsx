import { Link, useLocation } from 'react-router';

/** The 404 view, used by the catch-all route and by route errors that carry a 404 status. */
export function NotFoundMessage() {
  const { pathname } = useLocation();

  return (
    <section className="status-page" aria-labelledby="not-found-title">
      <title>Page not found · Edge Shop</title>
      <p className="status-page__code" aria-hidden="true">
        404
      </p>
      <h1 id="not-found-title">
        We couldn’t find that page
      </h1>
      <p className="status-page__text">
        Nothing lives at <code className="status-page__path">{pathname}</code>. The link may be mistyped, or the page
        may have moved.
      </p>
      <div className="status-page__actions">
        <Link className="button button--primary" to="/">
          Go to the home page
        </Link>
      </div>
    </section>
  );
}
