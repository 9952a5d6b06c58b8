import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';

import { useAuthStore } from '@/stores/auth-store';
import { useLiveStore } from '@/stores/live-store';
import { useThemeStore } from '@/stores/theme-store';
import { useToastStore } from '@/stores/toast-store';

// CI shares two cores between workerd, the database and jsdom: give `findBy…`/`waitFor` room beyond the 1 s default
// so a slow machine does not fail a page that does render.
configure({ asyncUtilTimeout: 5_000 });

// Every test starts with no stored session or preferences, every store as the app starts it, and leaves no rendered
// tree or stubbed global (fetch, WebSocket…) behind. The test files share one environment (vite.config.ts,
// `isolate: false`), so nothing a store holds may pass from one file to the next.
beforeEach(() => {
  localStorage.clear();
  useAuthStore.setState(useAuthStore.getInitialState(), true);
  useLiveStore.setState(useLiveStore.getInitialState(), true);
  useThemeStore.setState(useThemeStore.getInitialState(), true);
  useToastStore.setState(useToastStore.getInitialState(), true);
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});
