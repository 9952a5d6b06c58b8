import { useCallback, useEffect, useRef, useState } from 'react';

/** Turnstile's script, rendered explicitly (no auto-scan of the page). Its origin is allowed by the launch page's CSP only (web/public/_headers). */
export const TURNSTILE_SCRIPT_URL = 'https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit';

/** The part of Turnstile's browser API the waiting page uses. */
export interface TurnstileApi {
  render(container: HTMLElement, options: TurnstileRenderOptions): string | undefined;
  reset(widgetId: string): void;
  remove(widgetId: string): void;
}

interface TurnstileRenderOptions {
  sitekey: string;
  callback: (token: string) => void;
  'expired-callback': () => void;
  'timeout-callback': () => void;
  /** A truthy answer tells the widget the page shows the error itself. */
  'error-callback': () => boolean;
  /** Manual: an expired token waits for the buyer's Retry instead of renewing behind their back. */
  'refresh-expired': 'manual';
}

declare global {
  interface Window {
    turnstile?: TurnstileApi;
  }
}

let loading: Promise<TurnstileApi> | null = null;

/**
 * Whether this document was loaded as a launch page, under the CSP that admits Turnstile. A client-side navigation
 * keeps the first document's CSP (e.g. back from the login page), so such a page is reloaded before the check.
 * Unknown (no navigation entry) counts as yes.
 */
function documentIsLaunchPage(): boolean {
  const [entry] = performance.getEntriesByType('navigation');
  return !entry || new URL(entry.name).pathname.startsWith('/launch/');
}

/** Adds Turnstile's script once; a failed load is forgotten so a retry adds it again. */
export function loadTurnstile(): Promise<TurnstileApi> {
  if (window.turnstile) return Promise.resolve(window.turnstile);
  loading ??= new Promise<TurnstileApi>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = TURNSTILE_SCRIPT_URL;
    script.async = true;
    script.onload = () => (window.turnstile ? resolve(window.turnstile) : reject(new Error('Turnstile did not start')));
    script.onerror = () => {
      script.remove();
      reject(new Error('Turnstile could not load'));
    };
    document.head.append(script);
  }).catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

/** `loading` until the widget shows, `pending` until solved, then `solved` with a token; `expired` or `error` need a retry. */
export type TurnstileStatus = 'off' | 'loading' | 'pending' | 'solved' | 'expired' | 'error';

/**
 * Renders the Turnstile widget with `siteKey` into `containerRef` (nothing at all, not even the script, when `siteKey`
 * is null) and follows its token. `retry` renders a fresh challenge (after an expiry, an error, or a used token: a
 * token passes siteverify once).
 */
export function useTurnstile(siteKey: string | null) {
  const containerRef = useRef<HTMLDivElement>(null);
  const widgetId = useRef<string | undefined>(undefined);
  const [status, setStatus] = useState<TurnstileStatus>(siteKey ? 'loading' : 'off');
  const [token, setToken] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!siteKey) return;
    if (!documentIsLaunchPage()) {
      window.location.reload();
      return;
    }
    let cancelled = false;
    const lost = (next: 'expired' | 'error') => {
      setToken(null);
      setStatus(next);
    };
    loadTurnstile().then(
      (turnstile) => {
        if (cancelled || !containerRef.current) return;
        widgetId.current = turnstile.render(containerRef.current, {
          sitekey: siteKey,
          callback: (value) => {
            setToken(value);
            setStatus('solved');
          },
          'expired-callback': () => lost('expired'),
          'timeout-callback': () => lost('expired'),
          'error-callback': () => {
            lost('error');
            return true;
          },
          'refresh-expired': 'manual',
        });
        setStatus(widgetId.current === undefined ? 'error' : 'pending');
      },
      () => {
        if (!cancelled) setStatus('error');
      },
    );
    return () => {
      cancelled = true;
      if (widgetId.current !== undefined) window.turnstile?.remove(widgetId.current);
      widgetId.current = undefined;
    };
  }, [siteKey, attempt]);

  const retry = useCallback(() => {
    setToken(null);
    if (widgetId.current !== undefined && window.turnstile) {
      window.turnstile.reset(widgetId.current);
      setStatus('pending');
    } else {
      setStatus('loading');
      setAttempt((n) => n + 1);
    }
  }, []);

  return { containerRef, status, token, retry };
}
