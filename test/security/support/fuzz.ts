import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';


import { conformsTo, fuzzBody, pathValue, type FuzzBody } from '@test/security/support/arbitraries';
import { suitableActor, validIdsFor } from '@test/security/support/fixtures';
import { cacheSessionLookups, fuzzOptions, inBatches, send, verdict, withoutRateLimits } from '@test/security/support/harness';
import { fillPath, isWrite, loadOperations, opName, type JsonSchema, type Operation } from '@test/security/support/openapi';

/** Fixed so a failure reproduces: the route's index in the OpenAPI document is added per route. */
const FUZZ_SEED = 20_261_125;
const RUNS_PER_ROUTE = 1000;
/**
 * Bodies the route would accept (and ids of a valid format) reach the database or password hashing; the
 * rest are answered by validation in microseconds. We send every generated body but keep at most this many
 * of the expensive kind per route, so 1,000 cases per route stay within seconds (see docs/decisions/proof.md).
 */
const EXPENSIVE_CAP = 60;
/** Sequential: the in-process requests are CPU-bound anyway, and the local database multiplexes connections poorly. */
const IN_FLIGHT = 1;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const fuzzEnv = withoutRateLimits();

interface Case {
  body: FuzzBody;
  params: Record<string, string>;
  /** undefined = `application/json`; a string = that Content-Type; null = a body with no Content-Type at all. */
  contentType: string | null | undefined;
}

/**
 * Media types a JSON route must refuse (or, with no body declared, ignore): each must be 415 or the route's own
 * answer, never a body read past its validator. JSON spelled oddly (`+json`, parameters, upper case) must be
 * validated like plain JSON.
 */
const OTHER_CONTENT_TYPES = [
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'application/xml',
  'application/octet-stream',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'application/merge-patch+json',
  'application/jsonx',
  '*/*',
  null,
] as const;

/** About one case in six is sent with another Content-Type than `application/json` (same number of requests). */
const contentTypeArbitrary: fc.Arbitrary<string | null | undefined> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 5 },
  { arbitrary: fc.constantFrom<string | null>(...OTHER_CONTENT_TYPES), weight: 1 },
);

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;
const sentAsJson = (contentType: string | null | undefined) => contentType === undefined || (contentType !== null && JSON_MEDIA_TYPE.test(contentType.split(';')[0]!.trim()));

function paramConforms(schema: JsonSchema, value: string): boolean {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'integer' || type === 'number') return /^\d{1,15}$/.test(value) && (schema.maximum === undefined || Number(value) <= schema.maximum);
  if (schema.format === 'uuid' || schema.format === 'guid') return GUID.test(value);
  return conformsTo(schema, value);
}

/**
 * True when the case would pass validation and so cost real work (database, hashing). A route that takes
 * neither a body nor path parameters (logout, DELETE /cart) ignores what it is sent, so every case is the
 * same real request: it gets {@link EXPENSIVE_CAP} of them.
 */
function isExpensive(op: Operation, c: Case): boolean {
  const bodyOk = !op.body ? true : c.body.kind === 'json' && sentAsJson(c.contentType) && conformsTo(op.body, c.body.value);
  return bodyOk && op.pathParams.every((p) => paramConforms(op.paramSchemas[p] ?? {}, c.params[p] ?? ''));
}

function casesFor(op: Operation, arbitrary: fc.Arbitrary<Case>, seed: number): { cases: Case[]; expensive: number } {
  const cases: Case[] = [];
  const takesInput = !!op.body || op.pathParams.length > 0;
  let expensive = 0;
  for (const c of fc.sample(arbitrary, { seed, numRuns: RUNS_PER_ROUTE * 6 })) {
    if (cases.length === RUNS_PER_ROUTE) break;
    if (isExpensive(op, c)) {
      if (expensive === EXPENSIVE_CAP) {
        if (!takesInput) break;
        continue;
      }
      expensive++;
    }
    cases.push(c);
  }
  return { cases, expensive };
}

/**
 * Declares the fuzz for every write route of the OpenAPI document whose index satisfies `index % parts ===
 * part`: the routes are split over a few test files so the pool runs them side by side.
 */
export async function defineWriteRouteFuzz(part: number, parts: number) {
  const all = (await loadOperations()).filter(isWrite);
  const operations = all.filter((_, index) => index % parts === part);
describe(`write-route fuzz ${part + 1}/${parts} (fast-check seed ${FUZZ_SEED}, ${RUNS_PER_ROUTE} bodies per route)`, () => {
  let restore: () => void = () => undefined;
  beforeAll(() => {
    restore = cacheSessionLookups();
  });
  afterAll(() => restore());

  it('finds the write routes in the OpenAPI document', () => {
    expect(all.length).toBeGreaterThanOrEqual(15);
  });

  operations.forEach((op) => {
    const index = all.indexOf(op);
    it(`${opName(op)}: never a 5xx, always the envelope on 4xx, no leak on 2xx`, { timeout: 60_000 }, async () => {
      const samplePath = fillPath(op.path, Object.fromEntries(op.pathParams.map((p) => [p, '00000000-0000-4000-8000-000000000000'])));
      const actor = await suitableActor(op, samplePath);
      const valid = await validIdsFor(op, actor);
      const params = fc.record(Object.fromEntries(op.pathParams.map((p) => [p, pathValue(op.paramSchemas[p] ?? {}, valid[p] ?? [])])));
      const seed = FUZZ_SEED + index;
      const { cases, expensive } = casesFor(op, fc.record({ body: fuzzBody(op.body), params, contentType: contentTypeArbitrary }), seed);
      expect(cases.length).toBe(op.body || op.pathParams.length > 0 ? RUNS_PER_ROUTE : EXPENSIVE_CAP);
      const started = Date.now();
      const statuses = new Map<number, number>();
      const failures: { seed: number; case: number; problem: string; body: string; params: Record<string, string>; contentType?: string | null }[] = [];
      await inBatches(cases, IN_FLIGHT, async (c, i) => {
        const answer = await send(op.method, fillPath(op.path, c.params), { token: op.secured ? actor.token : undefined, env: fuzzEnv, contentType: c.contentType, ...fuzzOptions(c.body) });
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const acceptedOtherMediaType =
          op.body && c.body.kind !== 'none' && !sentAsJson(c.contentType) && answer.status < 300 ? `${answer.status} for a body sent as ${String(c.contentType)}` : undefined;
        const problem = verdict(answer) ?? acceptedOtherMediaType;
        if (problem) failures.push({ seed, case: i, problem, body: JSON.stringify(c.body).slice(0, 300), params: c.params, contentType: c.contentType });
      });
      console.info(
        `fuzz ${opName(op)} as ${actor.role}, seed ${seed}: ${cases.length} cases (${expensive} valid-looking) in ${Date.now() - started} ms, statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
      );
      expect(failures.slice(0, 5)).toEqual([]);
    });
  });
});
}
