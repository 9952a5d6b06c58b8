import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { UserProfile } from '@/types/api';

/** `GET /users/profile`: own profile with addresses (snake_case). */
export const getProfile = (signal?: AbortSignal) => api.get<UserProfile>('/users/profile', { signal });

export const getProfileQueryOptions = () =>
  queryOptions({ queryKey: ['profile'], queryFn: ({ signal }) => getProfile(signal) });

export const useProfile = () => useQuery(getProfileQueryOptions());
