import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

import type { RegisteredUser, TokenSession, UserRole } from '@/types/api';

export type { UserRole };

/** The `user` object of SPEC §3.3 login/refresh responses (auth resources are snake_case on the wire). */
export type AuthUser = RegisteredUser;

/** What the store keeps of the `data` of `POST /auth/login` and `POST /auth/refresh`. */
export type AuthSession = Pick<TokenSession, 'access_token' | 'refresh_token' | 'user'>;

interface AuthState {
  accessToken: string | null;
  refreshToken: string | null;
  user: AuthUser | null;
  setSession: (session: AuthSession) => void;
  clearAuth: () => void;
}

export const AUTH_STORAGE_KEY = 'edge-shop.auth';

/**
 * Session state. SPEC §6: the access token lives in memory only (a page reload refreshes it), while the refresh
 * token and the user survive reloads in localStorage.
 */
export const useAuthStore = create<AuthState>()(
  persist(
    (set) => ({
      accessToken: null,
      refreshToken: null,
      user: null,
      setSession: (session) =>
        set({ accessToken: session.access_token, refreshToken: session.refresh_token, user: session.user }),
      clearAuth: () => set({ accessToken: null, refreshToken: null, user: null }),
    }),
    {
      name: AUTH_STORAGE_KEY,
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: (state) => ({ refreshToken: state.refreshToken, user: state.user }),
    },
  ),
);

export const useCurrentUser = () => useAuthStore((state) => state.user);

export const useIsAuthenticated = () => useAuthStore((state) => state.user !== null && state.refreshToken !== null);

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
      if (useAuthStore.getState().refreshToken === null) useAuthStore.setState({ accessToken: null, user: null });
    });
  });
}
