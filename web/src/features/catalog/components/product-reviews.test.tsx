import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { pageMeta, productDetail } from '@/testing/fixtures';
import { deferred, mockFetch, successResponse } from '@/testing/mock-fetch';
import { renderApp } from '@/testing/render-app';

const review = (n: number) => ({ id: `r${n}`, rating: 4, authorName: `Reader ${n}`, comment: `Review ${n}`, createdAt: '2026-01-01T00:00:00Z' });
const pageOfReviews = (page: number) => successResponse(Array.from({ length: page === 1 ? 10 : 2 }, (_, i) => review((page - 1) * 10 + i + 1)), pageMeta(12, page, 10));

describe('product reviews pager', () => {
  it('waits while the asked page loads, but a background refetch of the shown page leaves it usable', async () => {
    const held: ReturnType<typeof deferred<Response>>[] = [];
    const { requestsTo } = mockFetch({
      'GET /api/v1/products/5': () => successResponse(productDetail(5, { name: 'Beacon Speaker' })),
      'GET /api/v1/products/5/launch': () => successResponse(null),
      'GET /api/v1/products/5/related': () => successResponse([], pageMeta(0)),
      'GET /api/v1/categories': () => successResponse([]),
      'GET /api/v1/users/sellers/00000000-0000-0000-0000-000000000003': () =>
        successResponse({ id: '3', firstName: 'Jane', lastName: 'Smith', avatarUrl: null, createdAt: '2025-01-01T00:00:00Z' }),
      'GET /api/v1/products/5/reviews': (request) => {
        if (request.url.includes('page=1')) return pageOfReviews(1);
        held.push(deferred<Response>());
        return held.at(-1)!.promise;
      },
    });
    const { queryClient } = renderApp('/products/5');
    const pager = await screen.findByRole('navigation', { name: 'Reviews pages' });
    const older = () => within(pager).getByRole('button', { name: 'Older →' }) as HTMLButtonElement;
    const newer = () => within(pager).getByRole('button', { name: '← Newer' }) as HTMLButtonElement;

    fireEvent.click(older());
    await waitFor(() => expect(held).toHaveLength(1));
    // Page 1 is still shown while page 2 loads: neither direction may be asked again.
    expect([older().disabled, newer().disabled]).toEqual([true, true]);
    held[0]!.resolve(pageOfReviews(2));
    expect(await within(pager).findByText('Page 2 of 2')).toBeTruthy();
    expect(newer().disabled).toBe(false);

    // Page 2 refetched in the background (a new review, another tab): it is the page shown, so the pager stays usable.
    // Not awaited: the refetch is held, and invalidating resolves only once it is done.
    act(() => void queryClient.invalidateQueries({ queryKey: ['products', 'reviews', 5] }));
    await waitFor(() => expect(held).toHaveLength(2));
    expect(requestsTo('GET /api/v1/products/5/reviews')).toHaveLength(3);
    expect(newer().disabled).toBe(false);
    held[1]!.resolve(pageOfReviews(2));
    await waitFor(() => expect(queryClient.isFetching()).toBe(0));
  });
});
