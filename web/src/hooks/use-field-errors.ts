import { useState } from 'react';

import type { FieldErrors } from '@/lib/validation';

/**
 * A form's field errors, each shown only while its field still holds the value it was given for: correcting a field
 * clears its message at once, without waiting for the next submit. `setErrors` records the values of the render it
 * was called from (the submitted ones, for a server's answer).
 */
export function useFieldErrors<F extends string>(values: Record<F, unknown>) {
  const [state, setState] = useState<{ errors: FieldErrors<F>; given: Record<F, unknown> | null }>({ errors: {}, given: null });
  const setErrors = (errors: FieldErrors<F>) => setState({ errors, given: values });
  const shown: FieldErrors<F> = {};
  for (const field of Object.keys(state.errors) as F[]) {
    if (state.given && Object.is(state.given[field], values[field])) shown[field] = state.errors[field];
  }
  return [shown, setErrors] as const;
}
