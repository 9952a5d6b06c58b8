import { useQueryErrorResetBoundary } from '@tanstack/react-query';
import { isRouteErrorResponse, Link, useLocation, useNavigate, useNavigation, useRouteError } from 'react-router';

import { NotFoundMessage } from '@/components/errors/not-found-message';
import { useFocusOnMount } from '@/hooks/use-focus-on-mount';
import { getErrorMessage } from '@/lib/error-message';

// After a deploy, an open tab may ask for a route chunk whose hashed file no longer exists; only a reload fixes it.
const isStaleChunkError = (error: unknown) =>
  error instanceof Error &&
  /dynamically imported module|Importing a module script failed|Failed to fetch module/i.test(error.message);

/** Route-level error boundary: a friendly message and a way to try again without losing the rest of the page. */
export function RouteErrorBoundary() {
  const error = useRouteError();
  const location = useLocation();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const { reset: resetQueryErrors } = useQueryErrorResetBoundary();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();

  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundMessage />;

  const staleChunk = isStaleChunkError(error);
  const message = staleChunk
    ? 'A newer version of the shop is available. Reload to continue.'
    : isRouteErrorResponse(error)
      ? 'This page could not be loaded. Please try again.'
      : getErrorMessage(error);

  const tryAgain = () => {
    // A missing chunk cannot be fetched again from this tab.
    if (staleChunk) return window.location.reload();
    // Re-navigating to the same URL gives React Router a new location, which resets its render boundary and re-runs
    // loaders (revalidate() does not reset a render error when no loader runs); resetting the query boundary lets
    // suspense queries that threw fetch again instead of rethrowing their cached error.
    resetQueryErrors();
    void navigate(location, { replace: true, preventScrollReset: true, state: location.state });
  };

  return (
    <section className="status-page" aria-labelledby="route-error-title">
      <title>Something went wrong · Edge Shop</title>
      <h1 id="route-error-title" ref={headingRef} tabIndex={-1}>
        Something went wrong
      </h1>
      <p className="status-page__text">{message}</p>
      <div className="status-page__actions">
        <button
          type="button"
          className="button button--primary"
          onClick={tryAgain}
          disabled={navigation.state !== 'idle'}
        >
          {staleChunk ? 'Reload' : 'Try again'}
        </button>
        <Link className="button button--secondary" to="/">
          Go to the home page
        </Link>
      </div>
    </section>
  );
}
