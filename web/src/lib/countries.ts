import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { Country } from '@/types/api';

/** `GET /countries`: ISO codes with English names; reference data that changes only with a deploy. */
export const getCountriesQueryOptions = () =>
  queryOptions({ queryKey: ['countries'], queryFn: ({ signal }) => api.get<Country[]>('/countries', { signal }), staleTime: Infinity, gcTime: Infinity });

export const useCountries = () => useQuery(getCountriesQueryOptions());
