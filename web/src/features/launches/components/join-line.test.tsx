import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { TURNSTILE_SCRIPT_URL, type TurnstileApi } from '@/features/launches/api/turnstile';
import { productDetail } from '@/testing/fixtures';
import { errorResponse, mockFetch, successResponse } from '@/testing/mock-fetch';
import { renderApp } from '@/testing/render-app';
import { logInAs } from '@/testing/session';
import type { Launch, WaitingRoomTicket } from '@/types/api';

type RenderOptions = Parameters<TurnstileApi['render']>[1];

const SITE_KEY = '0x4AAAAAAAtestsitekey';
const JOIN = 'POST /api/v1/products/7/waiting-room/ticket';

const launch = (botCheck: Launch['botCheck']): Launch => ({
  id: 'l-1',
  productId: 7,
  startsAt: '2026-12-24T18:00:00Z',
  endsAt: null,
  admitPerSecond: 5,
  perClientLimit: 3,
  maxQuantity: 1,
  status: 'open',
  botCheck,
});

const waiting: WaitingRoomTicket = {
  launchId: 'l-1',
  productId: 7,
  ticketId: 't-1',
  state: 'waiting',
  position: 4,
  peopleAhead: 3,
  estimatedWaitSeconds: 2,
  startsAt: '2026-12-24T18:00:00Z',
  joinedAt: '2026-12-24T18:00:01Z',
  admittedAt: null,
  admission: null,
};

function routes(botCheck: Launch['botCheck'], join = () => successResponse(waiting, undefined, 201)) {
  return mockFetch({
    'GET /api/v1/products/7': () => successResponse(productDetail(7, { name: 'Limited Sneaker' })),
    'GET /api/v1/products/7/launch': () => successResponse(launch(botCheck)),
    'GET /api/v1/products/7/waiting-room/ticket': () => errorResponse(404, 'NOT_FOUND', 'No ticket'),
    [JOIN]: join,
    'GET /api/v1/orders/notifications': () => successResponse({ unreadCount: 0, items: [] }),
  });
}

/** A stand-in for Turnstile's browser API that records each widget and lets the test play the challenge's events. */
function stubTurnstile() {
  const widgets: { container: HTMLElement; options: RenderOptions }[] = [];
  const api = {
    render: vi.fn((container: HTMLElement, options: RenderOptions) => `widget-${widgets.push({ container, options })}`),
    reset: vi.fn(),
    remove: vi.fn(),
  } satisfies TurnstileApi;
  window.turnstile = api;
  const last = () => widgets[widgets.length - 1]!.options;
  return { api, widgets, solve: (token: string) => act(() => last().callback(token)), expire: () => act(() => last()['expired-callback']()) };
}

const turnstileScripts = () => [...document.querySelectorAll('script')].filter((s) => s.src === TURNSTILE_SCRIPT_URL);
const joinButton = () => screen.findByRole('button', { name: 'Join the line' });

beforeEach(() => {
  logInAs();
});

afterEach(() => {
  vi.restoreAllMocks();
  delete window.turnstile;
});

describe('joining a launch behind the bot check', () => {
  it('without a site key loads no script and joins without a token, as before', async () => {
    const fetch = routes(null);
    renderApp('/launch/7');
    fireEvent.click(await joinButton());
    expect((await screen.findByTestId('position')).textContent).toContain('number 4');
    expect(fetch.requestsTo(JOIN)[0]!.body).toEqual({});
    expect(turnstileScripts()).toEqual([]);
    expect(screen.queryByTestId('turnstile')).toBeNull();
  });

  it('renders the widget with the site key into its container and sends the solved token with the join', async () => {
    const turnstile = stubTurnstile();
    const fetch = routes({ provider: 'turnstile', siteKey: SITE_KEY });
    renderApp('/launch/7');
    await waitFor(() => expect(turnstile.api.render).toHaveBeenCalledTimes(1));
    expect(turnstile.widgets[0]!.container).toBe(screen.getByTestId('turnstile'));
    expect(turnstile.widgets[0]!.options.sitekey).toBe(SITE_KEY);
    expect((await joinButton()).hasAttribute('disabled')).toBe(true);

    await turnstile.solve('token-1');
    fireEvent.click(await joinButton());
    expect((await screen.findByTestId('position')).textContent).toContain('number 4');
    expect(fetch.requestsTo(JOIN).map((r) => r.body)).toEqual([{ turnstileToken: 'token-1' }]);
    // The join answered a place: the widget is gone with the button.
    expect(turnstile.api.remove).toHaveBeenCalledWith('widget-1');
  });

  it('an expired token shows why, blocks the join, and Check again renders a fresh challenge', async () => {
    const turnstile = stubTurnstile();
    const fetch = routes({ provider: 'turnstile', siteKey: SITE_KEY });
    renderApp('/launch/7');
    await waitFor(() => expect(turnstile.api.render).toHaveBeenCalled());
    await turnstile.solve('token-1');
    expect((await joinButton()).hasAttribute('disabled')).toBe(false);

    await turnstile.expire();
    expect(await screen.findByText(/browser check expired/)).toBeTruthy();
    expect((await joinButton()).hasAttribute('disabled')).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: 'Check again' }));
    expect(turnstile.api.reset).toHaveBeenCalledWith('widget-1');
    expect(screen.queryByText(/browser check expired/)).toBeNull();
    await turnstile.solve('token-2');
    fireEvent.click(await joinButton());
    await screen.findByTestId('position');
    expect(fetch.requestsTo(JOIN).map((r) => r.body)).toEqual([{ turnstileToken: 'token-2' }]);
  });

  it('a join the server refuses resets the widget for a new token', async () => {
    const turnstile = stubTurnstile();
    routes({ provider: 'turnstile', siteKey: SITE_KEY }, () => errorResponse(403, 'BOT_CHECK_FAILED', 'The browser check did not pass; please try again'));
    renderApp('/launch/7');
    await waitFor(() => expect(turnstile.api.render).toHaveBeenCalled());
    await turnstile.solve('token-1');
    fireEvent.click(await joinButton());
    expect(await screen.findByText('The browser check did not pass; please try again')).toBeTruthy();
    expect(turnstile.api.reset).toHaveBeenCalledWith('widget-1');
    expect((await joinButton()).hasAttribute('disabled')).toBe(true);
  });

  it('adds Turnstile’s script once; a failed load says so and Check again loads it anew', async () => {
    const scripts: HTMLScriptElement[] = [];
    const append = document.head.append.bind(document.head);
    // Hold the script instead of connecting it, so the test decides whether it loads.
    vi.spyOn(document.head, 'append').mockImplementation((...nodes) => {
      for (const node of nodes) {
        if (node instanceof HTMLScriptElement && node.src === TURNSTILE_SCRIPT_URL) scripts.push(node);
        else append(node);
      }
    });
    routes({ provider: 'turnstile', siteKey: SITE_KEY });
    renderApp('/launch/7');
    expect(await screen.findByText('Loading the browser check…')).toBeTruthy();
    await waitFor(() => expect(scripts).toHaveLength(1));

    act(() => scripts[0]!.onerror?.(new Event('error')));
    expect(await screen.findByText(/browser check could not run/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Check again' }));
    await waitFor(() => expect(scripts).toHaveLength(2));

    const turnstile = stubTurnstile();
    act(() => scripts[1]!.onload?.(new Event('load')));
    await waitFor(() => expect(turnstile.api.render).toHaveBeenCalledTimes(1));
    expect(screen.queryByText(/browser check could not run/)).toBeNull();
  });

  it('a page whose document was loaded elsewhere (another CSP) reloads before rendering the check', async () => {
    const turnstile = stubTurnstile();
    vi.spyOn(performance, 'getEntriesByType').mockReturnValue([{ name: `${window.location.origin}/login` }] as unknown as PerformanceEntryList);
    const reload = vi.spyOn(window.location, 'reload').mockImplementation(() => undefined);
    routes({ provider: 'turnstile', siteKey: SITE_KEY });
    renderApp('/launch/7');
    await waitFor(() => expect(reload).toHaveBeenCalledTimes(1));
    expect(turnstile.api.render).not.toHaveBeenCalled();
  });
});
