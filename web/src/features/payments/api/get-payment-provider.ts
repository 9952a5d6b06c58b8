import { queryOptions, useQuery } from '@tanstack/react-query';

import { client, dataOf } from '@/lib/api-client';

/** `GET /payments/provider`: the provider whose form confirms payments, and its publishable key (public). */
export const getPaymentProvider = (signal?: AbortSignal) => dataOf(client.GET('/payments/provider', { signal }));

export const getPaymentProviderQueryOptions = () =>
  queryOptions({ queryKey: ['payments', 'provider'], queryFn: ({ signal }) => getPaymentProvider(signal), staleTime: Infinity });

export const usePaymentProvider = () => useQuery(getPaymentProviderQueryOptions());
