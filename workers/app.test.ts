import { createRoute, z } from '@hono/zod-openapi';
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

import { createApp, createTestApp, MAX_BODY_BYTES } from '@/app';
import { SELLER } from '@/catalog/test-support';
import { MAX_PASSWORD_WORK_IN_FLIGHT, withPasswordSlot } from '@/identity/overload';
import { signAccessToken } from '@/identity/tokens';
import { AppError, errorResponses } from '@/platform/errors';
import { pageQuerySchema } from '@/platform/pagination';
import { envelope, jsonContent } from '@/platform/responses';
import { createRouter, mountRouters } from '@/platform/router';

const echoRouter = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/echo',
      request: {
        body: {
          content: {
            'application/json': { schema: z.object({ name: z.string().min(1).max(10), quantity: z.number().int().min(1) }).strict() },
          },
        },
      },
      responses: { 201: jsonContent(envelope(z.object({ name: z.string() })), 'Echoed'), ...errorResponses(400, 413) },
    }),
    (c) => c.json({ success: true as const, data: { name: c.req.valid('json').name } }, 201),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/echo',
      request: { query: pageQuerySchema({ sortFields: ['createdAt', 'price'], defaultSort: { field: 'createdAt', direction: 'DESC' } }) },
      responses: { 200: jsonContent(envelope(z.unknown()), 'Page') },
    }),
    (c) => c.json({ success: true as const, data: c.req.valid('query') }, 200),
  )
  .get('/api/v1/boom', () => {
    throw new Error('relation "users" does not exist: SELECT password_hash FROM users');
  })
  .get('/api/v1/conflict', () => {
    throw new AppError(409, 'INSUFFICIENT_STOCK', 'Not enough stock', { '1': 'only 0 left' });
  });

const app = createTestApp(echoRouter);
const post = (body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  app.request('/api/v1/echo', { method: 'POST', body, headers }, env);

interface ErrorBody {
  success: false;
  error: { code: string; message: string; details?: Record<string, string>; requestId: string };
}

describe('error envelope', () => {
  it('answers malformed JSON with 400 INVALID_BODY', async () => {
    const res = await post('{"name": ');
    expect(res.status).toBe(400);
    const body = await res.json<ErrorBody>();
    expect(body.success).toBe(false);
    expect(body.error.code).toBe('INVALID_BODY');
    expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('answers schema failures with 400 VALIDATION_ERROR and a field → reason map', async () => {
    const res = await post(JSON.stringify({ name: '', quantity: 'two' }));
    expect(res.status).toBe(400);
    const body = await res.json<ErrorBody>();
    expect(body.error.code).toBe('VALIDATION_ERROR');
    expect(Object.keys(body.error.details ?? {}).sort()).toEqual(['name', 'quantity']);
  });

  it('rejects unknown fields by name', async () => {
    const res = await post(JSON.stringify({ name: 'ok', quantity: 1, isAdmin: true }));
    expect(res.status).toBe(400);
    expect((await res.json<ErrorBody>()).error.details).toEqual({ isAdmin: 'Unknown field' });
  });

  it('accepts a valid body', async () => {
    const res = await post(JSON.stringify({ name: 'ok', quantity: 1 }));
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ success: true, data: { name: 'ok' } });
  });

  it('refuses bodies over 1 MiB with 413', async () => {
    const res = await post(JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES), quantity: 1 }));
    expect(res.status).toBe(413);
    expect((await res.json<ErrorBody>()).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('renders AppError with its status, code and details', async () => {
    const res = await app.request('/api/v1/conflict', {}, env);
    expect(res.status).toBe(409);
    const body = await res.json<ErrorBody>();
    expect(body.error).toMatchObject({ code: 'INSUFFICIENT_STOCK', message: 'Not enough stock', details: { '1': 'only 0 left' } });
  });

  it('hides internals of unexpected errors behind 500 INTERNAL_ERROR', async () => {
    const res = await app.request('/api/v1/boom', {}, env);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toMatch(/password_hash|SELECT|relation|at /);
    expect(JSON.parse(text).error.code).toBe('INTERNAL_ERROR');
  });

  it('answers an unknown API path with a 404 envelope', async () => {
    const res = await app.request('/api/v1/nope', {}, env);
    expect(res.status).toBe(404);
    expect((await res.json<ErrorBody>()).error.code).toBe('NOT_FOUND');
  });

  it('answers a known path with the wrong method with 405 and Allow', async () => {
    const res = await app.request('/api/v1/echo', { method: 'DELETE' }, env);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toContain('POST');
    expect((await res.json<ErrorBody>()).error.code).toBe('METHOD_NOT_ALLOWED');
  });
});

describe('pagination query', () => {
  const list = (query: string) => app.request(`/api/v1/echo?${query}`, {}, env);

  it('defaults to page 1, size 20 and the default sort', async () => {
    const res = await list('');
    expect((await res.json<{ data: unknown }>()).data).toEqual({ page: 1, size: 20, sort: { field: 'createdAt', direction: 'DESC' } });
  });

  it('parses a whitelisted sort in any case', async () => {
    const res = await list('page=2&size=100&sort=price,asc');
    expect((await res.json<{ data: unknown }>()).data).toEqual({ page: 2, size: 100, sort: { field: 'price', direction: 'ASC' } });
  });

  it.each(['size=0', 'size=101', 'size=100000', 'page=0', 'page=abc', 'page=1.5', 'sort=password,ASC', 'sort=price,SIDEWAYS'])(
    'rejects %s with 400 VALIDATION_ERROR',
    async (query) => {
      const res = await list(query);
      expect(res.status).toBe(400);
      expect((await res.json<ErrorBody>()).error.code).toBe('VALIDATION_ERROR');
    },
  );
});

describe('request context and headers', () => {
  it('echoes a well-formed X-Request-Id and X-Correlation-ID', async () => {
    const res = await app.request('/api/v1/nope', { headers: { 'x-request-id': 'req-123', 'x-correlation-id': 'corr-456' } }, env);
    expect(res.headers.get('x-request-id')).toBe('req-123');
    expect(res.headers.get('x-correlation-id')).toBe('corr-456');
    expect((await res.json<ErrorBody>()).error.requestId).toBe('req-123');
  });

  it('replaces a malformed request id and defaults the correlation id to it', async () => {
    const res = await app.request('/api/v1/nope', { headers: { 'x-request-id': 'bad id <script>' } }, env);
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('x-correlation-id')).toBe(requestId);
  });

  it('sets secure headers on API responses', async () => {
    const res = await app.request('/api/v1/nope', {}, env);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('allows CORS only for configured origins', async () => {
    const preflight = (origin: string) =>
      app.request('/api/v1/echo', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } }, env);
    const allowed = await preflight('http://localhost:5173');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const denied = await preflight('https://evil.example');
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('dependencies down', () => {
  const unreachable = { ...env, NEON_LOCAL_PROXY: '127.0.0.1:9', DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:9/postgres' };
  const fullApp = createApp();

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After when the database is unreachable', async () => {
    const res = await fullApp.request('/health/db', {}, unreachable);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect((await res.json<ErrorBody>()).error.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('reports readiness DOWN with 503', async () => {
    const res = await fullApp.request('/health/ready', {}, unreachable);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'DOWN', checks: { postgres: 'DOWN', queue: 'DOWN', kafka: 'DOWN' } });
  });
});

describe('OpenAPI', () => {
  it('publishes an OpenAPI 3.1 document generated from the routes', async () => {
    const res = await createApp().request('/api/openapi.json', {}, env);
    expect(res.status).toBe(200);
    const doc = await res.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health/live', '/health/ready', '/health/db']));
  });

  it('serves the interactive docs page with a self-hosted script', async () => {
    const res = await createApp().request('/api/docs', {}, env);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('/vendor/scalar/standalone.js');
    expect(html).not.toContain('cdn.jsdelivr.net');
  });
});

describe('routers sharing a prefix', () => {
  const byId = createRouter().openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/things/{id}',
      request: { params: z.object({ id: z.coerce.number().int() }) },
      responses: { 200: jsonContent(envelope(z.string()), 'One thing'), ...errorResponses(400) },
    }),
    (c) => c.json({ success: true as const, data: `thing ${c.req.valid('param').id}` }, 200),
  );
  const all = createRouter().get('/api/v1/things', (c) => c.json({ success: true as const, data: 'all things' }, 200));
  const special = createRouter().get('/api/v1/things/special', (c) => c.json({ success: true as const, data: 'special' }, 200));
  const guarded = createRouter().use('/api/v1/things/*', async (c, next) => (c.req.header('x-blocked') ? c.json({ success: false }, 403) : next()));

  it.each([
    ['the parameter first', [byId, all, special, guarded]],
    ['the literal first', [guarded, special, all, byId]],
  ])('route a literal path to its own router whatever the order (%s), after every middleware', async (_, routers) => {
    const app = createApp((root) => mountRouters(root, routers));
    const get = async (path: string, headers: Record<string, string> = {}) => {
      const res = await app.request(path, { headers }, env);
      return [res.status, ((await res.json()) as { data?: unknown }).data];
    };
    expect(await get('/api/v1/things/special')).toEqual([200, 'special']);
    expect(await get('/api/v1/things/7')).toEqual([200, 'thing 7']);
    expect(await get('/api/v1/things')).toEqual([200, 'all things']);
    expect(await get('/api/v1/things/special', { 'x-blocked': '1' })).toEqual([403, undefined]);
  });

  it('serves the shop’s literal paths beside its {id} paths', async () => {
    const res = await createApp().request('/api/v1/products/suggest?q=lam', {}, env);
    expect(res.status).toBe(200);
  });
});

describe('cache-first public reads (product list and detail, suggestions)', () => {
  const shop = createApp();
  const exhausted = { ...env, API_RATE_LIMITER: { limit: async () => ({ success: false }) } } as unknown as typeof env;
  const get = async (path: string, bindings: typeof env, headers: Record<string, string> = {}) => {
    const res = await shop.request(path, { headers }, bindings);
    return { status: res.status, cache: res.headers.get('x-cache') };
  };

  it('are limited only when the answer must be produced: a cached answer reaches an exhausted caller, a miss or a bypass is 429', async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const reads = [`/api/v1/products/suggest?q=${tag}`, `/api/v1/products?q=${tag}`, '/api/v1/products/1'];
    for (const path of reads) {
      expect(await get(path, env)).toMatchObject({ status: 200 });
      expect(await get(path, exhausted)).toEqual({ status: 200, cache: 'HIT' });
    }
    // Not cached yet, so the database would answer: the limit applies.
    expect((await get(`/api/v1/products/suggest?q=${tag}x`, exhausted)).status).toBe(429);
    expect((await get(`/api/v1/products?q=${tag}x`, exhausted)).status).toBe(429);
    // A seller sees more than the public catalog, so is never served from the cache: always limited.
    const seller = { authorization: `Bearer ${await signAccessToken(env, SELLER)}` };
    expect((await get('/api/v1/products/1', exhausted, seller)).status).toBe(429);
    // Every other route is limited before it runs, as before.
    expect((await get('/api/v1/categories', exhausted)).status).toBe(429);
    expect((await get('/api/v1/products/1/reviews', exhausted)).status).toBe(429);
  });
});

describe('password work under overload', () => {
  it('is refused 503 before the rate limiters are asked while every password slot is taken; other auth routes pass', async () => {
    let limiterCalls = 0;
    const counting = { limit: async () => (limiterCalls++, { success: true }) };
    const bindings = { ...env, API_RATE_LIMITER: counting, AUTH_RATE_LIMITER: counting } as unknown as typeof env;
    const shop = createApp();
    const post = (path: string, body: unknown) =>
      shop.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, bindings);
    const login = () => post('/api/v1/auth/login', { email: `nobody-${crypto.randomUUID()}@example.com`, password: 'Whatever-1' });

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slots = Array.from({ length: MAX_PASSWORD_WORK_IN_FLIGHT }, () => withPasswordSlot(() => held));
    const refused = await login();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ success: false, error: { code: 'SERVICE_OVERLOADED' } });
    expect((await post('/api/v1/auth/register', { email: 'new@example.com', password: 'Whatever-1' })).status).toBe(503);
    expect(limiterCalls).toBe(0);
    // A route without password work is not shed: it meets both limiters and answers for itself.
    expect((await post('/api/v1/auth/refresh', {})).status).toBe(401);
    expect(limiterCalls).toBe(2);

    release();
    await Promise.all(slots);
    expect((await login()).status).toBe(401);
    expect(limiterCalls).toBe(4);
  });
});
