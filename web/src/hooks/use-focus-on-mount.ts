import { useEffect, useRef } from 'react';

/**
 * Moves focus to the element when it first renders, so keyboard and screen-reader users land on a view that
 * replaced the page (error, 404) instead of on a control that no longer exists.
 */
export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);
  return ref;
}
