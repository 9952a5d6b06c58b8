import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';

import { useToastStore } from '@/stores/toast-store';

// CI shares two cores between workerd, the database and jsdom: give `findBy…`/`waitFor` room beyond the 1 s default
// so a slow machine does not fail a page that does render.
configure({ asyncUtilTimeout: 5_000 });

// Every test starts with no stored session or preferences and no toasts, and leaves no rendered tree or stubbed
// global (fetch, WebSocket…) behind.
beforeEach(() => {
  localStorage.clear();
  useToastStore.setState({ toasts: [] });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
