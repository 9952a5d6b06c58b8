import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';

import { isApiError } from '@/lib/api-client';
import { toast } from '@/stores/toast-store';

interface ErrorToastMeta extends Record<string, unknown> {
  /**
   * Queries: `true` toasts even the first failure (default: only a failed background refetch, since a page shows
   * its own error state when it has nothing to show). Mutations: `false` when the form renders the error itself.
   */
  errorToast?: boolean;
}

declare module '@tanstack/react-query' {
  interface Register {
    queryMeta: ErrorToastMeta;
    mutationMeta: ErrorToastMeta;
  }
}

const MAX_QUERY_RETRIES = 2;

/**
 * Retry policy for idempotent reads: only failures that may pass on their own (offline, 5xx except 501).
 * A 4xx is the request's fault or a decision (auth, rate limit) and would fail the same way again.
 */
export function shouldRetryQuery(failureCount: number, error: unknown): boolean {
  if (failureCount >= MAX_QUERY_RETRIES || !isApiError(error)) return false;
  return error.status === 0 || (error.status >= 500 && error.status !== 501);
}

// The session-expired toast (see provider) already covers a 401; repeating it per query would be noise.
const isWorthAToast = (error: unknown) => !(isApiError(error) && error.status === 401);

export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        const wanted = query.meta?.errorToast ?? query.state.data !== undefined;
        if (wanted && isWorthAToast(error)) toast.fromError(error);
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _result, mutation) => {
        if (mutation.meta?.errorToast !== false && isWorthAToast(error)) toast.fromError(error);
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        gcTime: 5 * 60_000,
        retry: shouldRetryQuery,
        // The default pauses every query while the browser reports itself offline, which leaves pages on their
        // skeletons with no word of why. Trying anyway fails in a moment with NETWORK_ERROR, and the page says
        // "You seem to be offline" with a Retry button.
        networkMode: 'always',
      },
      // Writes are not idempotent in general; a mutation that is (PUT/DELETE) may opt in with shouldRetryQuery.
      mutations: { retry: false },
    },
  });
}
