import { queryOptions, useQuery } from '@tanstack/react-query';

import { client, dataOf } from '@/lib/api-client';

/** `GET /users/sellers/:id`: the public seller card (no email). */
export const getSeller = (id: string, signal?: AbortSignal) => dataOf(client.GET('/users/sellers/{id}', { params: { path: { id } }, signal }));

export const getSellerQueryOptions = (id: string) =>
  queryOptions({ queryKey: ['sellers', id], queryFn: ({ signal }) => getSeller(id, signal), staleTime: 5 * 60_000 });

export const useSeller = (id: string, { enabled = true } = {}) => useQuery({ ...getSellerQueryOptions(id), enabled });
