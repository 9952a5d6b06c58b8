import { create } from 'zustand';

export type ThemePreference = 'light' | 'dark' | 'system';
export type ResolvedTheme = 'light' | 'dark';

// index.html's pre-paint script reads the same key and colours; change them together.
export const THEME_STORAGE_KEY = 'edge-shop.theme';
const THEME_COLORS: Record<ResolvedTheme, string> = { light: '#ffffff', dark: '#0f1115' };
const DARK_QUERY = '(prefers-color-scheme: dark)';

const isPreference = (value: unknown): value is ThemePreference =>
  value === 'light' || value === 'dark' || value === 'system';

function readPreference(): ThemePreference {
  try {
    const saved = localStorage.getItem(THEME_STORAGE_KEY);
    return isPreference(saved) ? saved : 'system';
  } catch {
    // Storage can throw (privacy modes, blocked cookies); the OS setting is a fine default.
    return 'system';
  }
}

function systemTheme(): ResolvedTheme {
  return typeof window.matchMedia === 'function' && window.matchMedia(DARK_QUERY).matches ? 'dark' : 'light';
}

const resolve = (preference: ThemePreference): ResolvedTheme =>
  preference === 'system' ? systemTheme() : preference;

function applyTheme(theme: ResolvedTheme) {
  const root = document.documentElement;
  root.dataset.theme = theme;
  root.style.colorScheme = theme;
  for (const meta of document.querySelectorAll('meta[name="theme-color"]')) {
    meta.setAttribute('content', THEME_COLORS[theme]);
  }
}

interface ThemeState {
  preference: ThemePreference;
  resolved: ResolvedTheme;
  setPreference: (preference: ThemePreference) => void;
}

export const useThemeStore = create<ThemeState>()((set) => {
  const preference = readPreference();
  return {
    preference,
    resolved: resolve(preference),
    setPreference: (next) => {
      try {
        localStorage.setItem(THEME_STORAGE_KEY, next);
      } catch {
        // Not persisted this time; the choice still applies to this page.
      }
      const resolved = resolve(next);
      applyTheme(resolved);
      set({ preference: next, resolved });
    },
  };
});

/**
 * Applies the current theme and keeps it in step with the OS setting (for `system`) and with other tabs.
 * @returns a function that stops listening
 */
export function syncTheme(): () => void {
  const reapply = (preference: ThemePreference) => {
    const resolved = resolve(preference);
    applyTheme(resolved);
    useThemeStore.setState({ preference, resolved });
  };
  reapply(useThemeStore.getState().preference);

  const media = typeof window.matchMedia === 'function' ? window.matchMedia(DARK_QUERY) : undefined;
  const onSystemChange = () => {
    const { preference } = useThemeStore.getState();
    if (preference === 'system') reapply(preference);
  };
  const onStorage = (event: StorageEvent) => {
    if (event.key === THEME_STORAGE_KEY) reapply(isPreference(event.newValue) ? event.newValue : 'system');
  };
  media?.addEventListener('change', onSystemChange);
  window.addEventListener('storage', onStorage);
  return () => {
    media?.removeEventListener('change', onSystemChange);
    window.removeEventListener('storage', onStorage);
  };
}
