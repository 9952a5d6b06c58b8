import { type RefObject, useEffect, useRef } from 'react';
import { Outlet, ScrollRestoration, useLocation, useNavigation } from 'react-router';

import { MAIN_CONTENT_ID, SkipLink } from '@/components/layouts/skip-link';
import { SiteFooter } from '@/components/layouts/site-footer';
import { SiteHeader } from '@/components/layouts/site-header';

/**
 * After a client-side navigation the browser leaves focus on the clicked link, so screen-reader users hear
 * nothing about the new page; move focus to its heading (or to <main>) like a full page load would.
 */
function useFocusOnNavigation(mainRef: RefObject<HTMLElement | null>) {
  const { pathname } = useLocation();
  const isFirstRender = useRef(true);

  useEffect(() => {
    if (isFirstRender.current) {
      isFirstRender.current = false;
      return;
    }
    const main = mainRef.current;
    if (!main) return;
    const heading = main.querySelector<HTMLElement>('h1');
    if (heading && !heading.hasAttribute('tabindex')) heading.tabIndex = -1;
    (heading ?? main).focus({ preventScroll: true });
  }, [pathname, mainRef]);
}

/** The chrome every page shares; pages render into <main>. */
export function RootLayout() {
  const mainRef = useRef<HTMLElement>(null);
  const navigation = useNavigation();
  const isNavigating = navigation.state !== 'idle';
  useFocusOnNavigation(mainRef);

  return (
    <div className="app-shell">
      <SkipLink />
      <div className="nav-progress" data-active={isNavigating} aria-hidden="true" />
      <SiteHeader />
      <main id={MAIN_CONTENT_ID} ref={mainRef} tabIndex={-1} className="app-main" aria-busy={isNavigating}>
        <Outlet />
      </main>
      <SiteFooter />
      <ScrollRestoration />
    </div>
  );
}
