import { queryOptions, useQuery } from '@tanstack/react-query';

import { client, dataOf } from '@/lib/api-client';

/** `GET /countries`: ISO codes with English names; reference data that changes only with a deploy. */
export const getCountriesQueryOptions = () =>
  queryOptions({ queryKey: ['countries'], queryFn: ({ signal }) => dataOf(client.GET('/countries', { signal })), staleTime: Infinity, gcTime: Infinity });

export const useCountries = () => useQuery(getCountriesQueryOptions());
