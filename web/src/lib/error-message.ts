import { isApiError } from '@/lib/api-client';

/** A sentence a shopper can act on; server messages are shown for 4xx because they explain the user's own input. */
export function getErrorMessage(error: unknown): string {
  if (isApiError(error)) {
    if (error.status === 0) return 'You seem to be offline. Check your connection and try again.';
    if (error.status === 429) return 'Too many requests right now. Please wait a moment and try again.';
    if (error.status >= 500 || error.code === 'INVALID_RESPONSE') {
      return 'Something went wrong on our side. Please try again in a moment.';
    }
    return error.message;
  }
  return 'Something went wrong. Please try again.';
}
