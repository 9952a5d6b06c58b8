import { isApiError } from '@/lib/api-client';
import { getErrorMessage } from '@/lib/error-message';

/** Console wording for the refusals an operator meets most: a stale view (409) gets an explicit "reload". */
export function adminErrorMessage(error: unknown): string {
  if (isApiError(error) && error.status === 409) {
    if (error.code === 'LAST_ADMIN') return error.message;
    if (error.code === 'CATEGORY_IN_USE' || error.code === 'ALREADY_VERIFIED' || error.code === 'DEAD_LETTER_NOT_REPLAYABLE') return error.message;
    return `This record changed since you loaded it: ${error.message} The page now shows its current state.`;
  }
  return getErrorMessage(error);
}
