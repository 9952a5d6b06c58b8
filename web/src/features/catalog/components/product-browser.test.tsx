import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { useAuthStore } from '@/stores/auth-store';
import { useToastStore } from '@/stores/toast-store';
import { pageMeta, productSummary } from '@/testing/fixtures';
import { deferred, mockFetch, successResponse } from '@/testing/mock-fetch';
import { renderApp } from '@/testing/render-app';

beforeEach(() => {
  useAuthStore.getState().clearAuth();
});

afterEach(() => {
  vi.useRealTimers();
});

/**
 * A clock the test can move past a debounce at once ("nothing was sent after the pause") instead of sleeping; it
 * also runs on with real time, so `findBy…`/`waitFor` work as usual.
 */
const useSteerableClock = () => vi.useFakeTimers({ shouldAdvanceTime: true });

describe('/products', () => {
  it('lists the page from ?page=, shows the count and links to the next page', async () => {
    const { requestsTo } = mockFetch({
      'GET /api/v1/products': () => successResponse([productSummary(21), productSummary(22)], pageMeta(42, 2)),
    });
    renderApp('/products?page=2');

    const grid = await screen.findByRole('list', { name: 'Products' });
    expect(within(grid).getAllByRole('listitem')).toHaveLength(2);
    expect(screen.getByText('42 products')).toBeTruthy();
    expect(screen.getByText('Page 2 of 3')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Next →' }).getAttribute('href')).toBe('/products?page=3');
    expect(screen.getByRole('link', { name: '← Previous' }).getAttribute('href')).toBe('/products');
    expect(requestsTo('GET /api/v1/products')[0]?.url).toContain('page=2');
  });

  it('searches by keyword after typing 2+ characters, resetting the page', async () => {
    const { requestsTo } = mockFetch({
      'GET /api/v1/products': () => successResponse([productSummary(1)], pageMeta(40, 3)),
      'GET /api/v1/products/search': () => successResponse([productSummary(7, { name: 'Keystone Keyboard' })], pageMeta(1)),
    });
    useSteerableClock();
    const { router } = renderApp('/products?page=3');
    await screen.findByRole('list', { name: 'Products' });

    fireEvent.change(screen.getByLabelText('Search products'), { target: { value: 'k' } });
    await vi.advanceTimersByTimeAsync(350);
    expect(requestsTo('GET /api/v1/products/search')).toHaveLength(0);

    fireEvent.change(screen.getByLabelText('Search products'), { target: { value: 'keyboard' } });
    expect(await screen.findByRole('link', { name: 'Keystone Keyboard' })).toBeTruthy();
    expect(screen.getByText('1 result for “keyboard”')).toBeTruthy();
    expect(router.state.location.search).toBe('?q=keyboard');
    expect(requestsTo('GET /api/v1/products/search')).toHaveLength(1);
    expect(requestsTo('GET /api/v1/products/search')[0]?.url).toContain('q=keyboard');
  });

  it('empties the search box when the URL loses its query (nav link back to all products)', async () => {
    mockFetch({
      'GET /api/v1/products': () => successResponse([productSummary(1)], pageMeta(1)),
      'GET /api/v1/products/search': () => successResponse([productSummary(7)], pageMeta(1)),
    });
    useSteerableClock();
    const { router } = renderApp('/products?q=keyboard');
    await screen.findByText('1 result for “keyboard”');
    expect((screen.getByLabelText('Search products') as HTMLInputElement).value).toBe('keyboard');

    fireEvent.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Products' }));

    await waitFor(() => expect((screen.getByLabelText('Search products') as HTMLInputElement).value).toBe(''));
    expect(await screen.findByText('1 product')).toBeTruthy();
    await vi.advanceTimersByTimeAsync(350);
    expect(router.state.location.search).toBe('');
  });

  it('uses smart search for ?mode=ai and toasts when it fell back to keywords', async () => {
    const { requestsTo } = mockFetch({
      'GET /api/v1/products/ai-search': () =>
        successResponse({ query: 'warm jacket', results: [productSummary(19, { name: 'Puffer Jacket' })], scores: null, mode: 'fallback-keyword' }),
    });
    renderApp('/products?q=warm+jacket&mode=ai');

    expect(await screen.findByRole('link', { name: 'Puffer Jacket' })).toBeTruthy();
    await waitFor(() =>
      expect(useToastStore.getState().toasts.map((t) => t.message)).toContain(
        'Smart search is unavailable right now, so these are keyword results.',
      ),
    );
    expect(screen.queryByText('Smart match')).toBeNull();
    expect(requestsTo('GET /api/v1/products/ai-search')[0]?.url).toContain('q=warm+jacket');
    expect(requestsTo('GET /api/v1/products/ai-search')[0]?.url).toContain('mode=ai');
  });

  it('switches to hybrid mode from the toggle', async () => {
    const { requestsTo } = mockFetch({
      'GET /api/v1/products/search': () => successResponse([productSummary(3)], pageMeta(1)),
      'GET /api/v1/products/ai-search': () =>
        successResponse({ query: 'phone', results: [productSummary(3, { name: 'Lumen Phone' })], scores: [0.9], mode: 'hybrid' }),
    });
    const { router } = renderApp('/products?q=phone');
    await screen.findByRole('list', { name: 'Products' });

    fireEvent.click(screen.getByRole('radio', { name: 'Hybrid' }));

    expect(await screen.findByRole('link', { name: 'Lumen Phone' })).toBeTruthy();
    expect(screen.getByText('Smart match')).toBeTruthy();
    expect(router.state.location.search).toBe('?q=phone&mode=hybrid');
    expect(requestsTo('GET /api/v1/products/ai-search')[0]?.url).toContain('mode=hybrid');
  });
});

describe('search suggestions (combobox)', () => {
  const SUGGESTIONS = [
    { type: 'category', id: 3, name: 'Lamps & Lighting', slug: 'lamps-lighting' },
    { type: 'product', id: 11, name: 'Lava Lamp' },
    { type: 'product', id: 12, name: 'Desk Lamp' },
  ];
  const listing = () => successResponse([productSummary(1)], pageMeta(1));
  const search = () => successResponse([productSummary(11, { name: 'Lava Lamp' })], pageMeta(1));

  async function typeAndOpen(text: string) {
    const box = screen.getByRole('combobox', { name: 'Search products' });
    fireEvent.change(box, { target: { value: text } });
    await screen.findByRole('listbox', { name: 'Suggestions' });
    return box;
  }

  it('shows the suggestions for what is typed, and follows the combobox pattern with the keyboard', async () => {
    const { requestsTo } = mockFetch({
      'GET /api/v1/products': listing,
      'GET /api/v1/products/search': search,
      'GET /api/v1/products/suggest': () => successResponse({ query: 'lam', suggestions: SUGGESTIONS }),
    });
    useSteerableClock();
    renderApp('/products');
    await screen.findByRole('list', { name: 'Products' });
    const box = screen.getByRole('combobox', { name: 'Search products' });
    expect(box.getAttribute('aria-expanded')).toBe('false');
    expect(box.getAttribute('aria-autocomplete')).toBe('list');

    fireEvent.change(box, { target: { value: 'l' } });
    await vi.advanceTimersByTimeAsync(250);
    expect(requestsTo('GET /api/v1/products/suggest')).toHaveLength(0);

    await typeAndOpen('Lam');
    const listbox = screen.getByRole('listbox', { name: 'Suggestions' });
    const options = within(listbox).getAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual(['Lamps & LightingCategory', 'Lava LampProduct', 'Desk LampProduct']);
    expect(box.getAttribute('aria-expanded')).toBe('true');
    expect(box.getAttribute('aria-controls')).toBe(listbox.id);
    expect(box.hasAttribute('aria-activedescendant')).toBe(false);
    expect(requestsTo('GET /api/v1/products/suggest').map((r) => new URL(r.url, 'http://x').searchParams.get('q'))).toEqual(['lam']);

    const activeOption = () => document.getElementById(box.getAttribute('aria-activedescendant') ?? '');
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(activeOption()).toBe(options[0]);
    expect(options[0]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(activeOption()?.textContent).toContain('Desk Lamp');
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(activeOption()).toBe(screen.getAllByRole('option')[0]);
    fireEvent.keyDown(box, { key: 'ArrowUp' });
    expect(activeOption()?.textContent).toContain('Desk Lamp');
    expect(screen.getAllByRole('option').filter((o) => o.getAttribute('aria-selected') === 'true')).toHaveLength(1);

    fireEvent.keyDown(box, { key: 'Escape' });
    expect(box.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(box.hasAttribute('aria-activedescendant')).toBe(false);
    expect((box as HTMLInputElement).value).toBe('Lam');

    fireEvent.keyDown(box, { key: 'ArrowUp' });
    expect(activeOption()?.textContent).toContain('Desk Lamp');
  });

  it('Enter opens the active product; Enter with nothing active just closes the list', async () => {
    mockFetch({
      'GET /api/v1/products': listing,
      'GET /api/v1/products/search': search,
      'GET /api/v1/products/suggest': () => successResponse({ query: 'lam', suggestions: SUGGESTIONS }),
    });
    const { router } = renderApp('/products');
    await screen.findByRole('list', { name: 'Products' });
    const box = await typeAndOpen('lam');
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(router.state.location.pathname).toBe('/products');

    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(router.state.location.pathname).toBe('/products/11'), { timeout: 10_000 });
  });

  /** The answer for "lam" comes at once; the one for `next`, typed after it, waits until the test gives it. */
  async function typePastAnAnswer(next: string) {
    const held = deferred<Response>();
    const { requests } = mockFetch({
      'GET /api/v1/products': listing,
      'GET /api/v1/products/search': search,
      'GET /api/v1/products/suggest': (request) =>
        new URL(request.url, 'http://x').searchParams.get('q') === 'lam' ? successResponse({ query: 'lam', suggestions: SUGGESTIONS }) : held.promise,
    });
    const { router } = renderApp('/products');
    await screen.findByRole('list', { name: 'Products' });
    const box = await typeAndOpen('lam');
    // The list keeps the answer for "lam" until the one for `next` arrives.
    fireEvent.change(box, { target: { value: next } });
    await waitFor(() => expect(requests.some(({ url }) => url.endsWith(`suggest?q=${next}`))).toBe(true));
    const answer = (suggestions: typeof SUGGESTIONS) =>
      act(async () => {
        held.resolve(successResponse({ query: next, suggestions }));
        await held.promise;
      });
    return { box, router, answer };
  }

  it('an answer that arrives while the shopper moves through the list keeps the highlight on the same suggestion', async () => {
    const { box, router, answer } = await typePastAnAnswer('lamp');
    const activeOption = () => document.getElementById(box.getAttribute('aria-activedescendant') ?? '');
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(activeOption()?.textContent).toContain('Lava Lamp');

    // The new answer has no category, so Lava Lamp moves up to first place: the highlight goes with it.
    await answer([SUGGESTIONS[1]!, SUGGESTIONS[2]!]);
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(2));
    expect(activeOption()?.textContent).toContain('Lava Lamp');
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(router.state.location.pathname).toBe('/products/11'), { timeout: 10_000 });
  });

  it('an answer without the highlighted suggestion leaves nothing active', async () => {
    const { box, answer } = await typePastAnAnswer('lamps');
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(box.hasAttribute('aria-activedescendant')).toBe(true);

    await answer([SUGGESTIONS[2]!]);
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(1));
    expect(box.hasAttribute('aria-activedescendant')).toBe(false);
    expect(screen.getByRole('option').getAttribute('aria-selected')).toBe('false');
  });

  it('a click on a category suggestion opens the category', async () => {
    mockFetch({
      'GET /api/v1/products': listing,
      'GET /api/v1/products/search': search,
      'GET /api/v1/products/suggest': () => successResponse({ query: 'lam', suggestions: SUGGESTIONS }),
    });
    const { router } = renderApp('/products');
    await screen.findByRole('list', { name: 'Products' });
    await typeAndOpen('lam');
    fireEvent.click(screen.getByRole('option', { name: /Lamps & Lighting/ }));
    // The category page's module loads lazily before the location changes.
    await waitFor(() => expect(router.state.location.pathname).toBe('/categories/lamps-lighting'), { timeout: 10_000 });
  });

  it('cancels a suggestion request the shopper has typed past, and never shows its answer', async () => {
    const held = deferred<Response>();
    const { requests } = mockFetch({
      'GET /api/v1/products': listing,
      'GET /api/v1/products/search': search,
      'GET /api/v1/products/suggest': (request) =>
        new URL(request.url, 'http://x').searchParams.get('q') === 'la' ? held.promise : successResponse({ query: 'lava', suggestions: [SUGGESTIONS[1]] }),
    });
    renderApp('/products');
    await screen.findByRole('list', { name: 'Products' });
    const box = screen.getByRole('combobox', { name: 'Search products' });
    fireEvent.change(box, { target: { value: 'la' } });
    await waitFor(() => expect(requests.some(({ url }) => url.includes('suggest?q=la'))).toBe(true));
    fireEvent.change(box, { target: { value: 'lava' } });
    const listbox = await screen.findByRole('listbox', { name: 'Suggestions' });
    expect(within(listbox).getAllByRole('option').map((o) => o.textContent)).toEqual(['Lava LampProduct']);
    const stale = requests.find(({ url }) => url.endsWith('suggest?q=la'));
    await waitFor(() => expect(stale?.signal.aborted).toBe(true));
    // The late answer arrives, and whatever React would do with it is flushed before the check.
    await act(async () => {
      held.resolve(successResponse({ query: 'la', suggestions: SUGGESTIONS }));
      await held.promise;
    });
    expect(within(screen.getByRole('listbox', { name: 'Suggestions' })).getAllByRole('option')).toHaveLength(1);
  });
});
