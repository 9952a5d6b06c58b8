import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { client, dataOf } from '@/lib/api-client';
import type { CheckoutPreviewInput } from '@/types/api';

export type PreviewPath = '/checkouts/preview' | '/orders/preview';

/**
 * `POST /checkouts/preview` or `/orders/preview`: what it would cost now (discount, tax, what the code did or why it
 * was refused), nothing reserved. Null input: not asked yet. The previous answer stays while a new one loads.
 */
export function usePricePreview(path: PreviewPath, input: CheckoutPreviewInput | null) {
  return useQuery({
    queryKey: ['price-preview', path, input],
    queryFn: ({ signal }) => dataOf(client.POST(path, { body: input!, signal })),
    enabled: input !== null,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
    meta: { errorToast: false },
  });
}
