import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

import type { RegisteredUser, TokenSession, UserRole } from '@/types/api';

export type { UserRole };

/** The `user` object of login/refresh responses. */
export type AuthUser = RegisteredUser;

/** What the store keeps of the `data` of `POST /auth/login` and `POST /auth/refresh`. */
export type AuthSession = Pick<TokenSession, 'access_token' | 'user'> & Partial<Pick<TokenSession, 'refresh_token'>>;

interface AuthState {
  accessToken: string | null;
  refreshToken: string | null;
  user: AuthUser | null;
  setSession: (session: AuthSession) => void;
  clearAuth: () => void;
}

export const AUTH_STORAGE_KEY = 'edge-shop.auth';

/**
 * Session state. The access token lives in memory only (a page reload refreshes it). The refresh token is never
 * written to storage: the API keeps it in an HttpOnly cookie that script cannot read, so an injected script
 * cannot carry a 7-day session away. Only the user (who is signed in, for the UI) survives reloads.
 */
export const useAuthStore = create<AuthState>()(
  persist(
    (set) => ({
      accessToken: null,
      refreshToken: null,
      user: null,
      // The response's refresh_token is not kept (the HttpOnly cookie carries it); `refreshToken` stays for
      // sessions handed over in memory only.
      setSession: (session) => set({ accessToken: session.access_token, refreshToken: null, user: session.user }),
      clearAuth: () => set({ accessToken: null, refreshToken: null, user: null }),
    }),
    {
      name: AUTH_STORAGE_KEY,
      version: 2,
      storage: createJSONStorage(() => localStorage),
      partialize: (state) => ({ user: state.user }),
      // Version 1 stored the refresh token in localStorage: drop it (the cookie set at login carries the session).
      migrate: (persisted) => ({ user: (persisted as { user?: AuthUser | null } | null)?.user ?? null }),
    },
  ),
);

export const useCurrentUser = () => useAuthStore((state) => state.user);

export const useIsAuthenticated = () => useAuthStore((state) => state.user !== null);

/** Whether a role can keep a cart and buy: customers and sellers; admins operate the shop but the API refuses them a cart. */
export const canShop = (role: string | undefined) => role !== 'admin';

// Refresh tokens rotate (and reuse revokes the whole family), so every tab must follow the newest one another tab
// stored, and a logout in one tab must end the session in all of them.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key !== AUTH_STORAGE_KEY) return;
    if (event.newValue === null) {
      useAuthStore.getState().clearAuth();
      return;
    }
    void Promise.resolve(useAuthStore.persist.rehydrate()).then(() => {
      if (useAuthStore.getState().user === null) useAuthStore.setState({ accessToken: null, refreshToken: null });
    });
  });
}
