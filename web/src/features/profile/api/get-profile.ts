import { queryOptions, useQuery } from '@tanstack/react-query';

import { client, dataOf } from '@/lib/api-client';

/** `GET /users/profile`: own profile with addresses. */
export const getProfile = (signal?: AbortSignal) => dataOf(client.GET('/users/profile', { signal }));

export const getProfileQueryOptions = () =>
  queryOptions({ queryKey: ['profile'], queryFn: ({ signal }) => getProfile(signal) });

export const useProfile = () => useQuery(getProfileQueryOptions());
