import { type AuthUser, type UserRole, useAuthStore } from '@/stores/auth-store';

/** Signs the SPA in as a test user: the sample customer unless `role` or `user` say otherwise. */
export function logInAs(role: UserRole = 'customer', user: Partial<AuthUser> = {}) {
  useAuthStore.getState().setSession({
    access_token: 'a',
    refresh_token: 'r',
    user: { id: 'u-2', email: 'customer@example.com', role, first_name: 'John', last_name: 'Doe', ...user },
  });
}
