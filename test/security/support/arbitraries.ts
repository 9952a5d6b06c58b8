import fc from 'fast-check';

import type { JsonSchema } from '@test/security/support/openapi';

/** Strings an attacker sends to look for SQL, HTML, template or path handling mistakes. */
const INJECTION_STRINGS = [
  "'; DROP TABLE users; --",
  "' OR '1'='1' --",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '%00',
  'nul\u0000byte',
  '${7*7}{{7*7}}',
  '../../../../etc/passwd',
  '\u202egnp.exe',
  'Ä'.repeat(5000) + '😀'.repeat(5000),
  '\ud800 lone surrogate',
  'line\r\nX-Injected: 1',
] as const;

/** Unknown fields a client might try to smuggle in (mass assignment, prototype pollution). */
const EXTRA_FIELDS = ['role', 'isAdmin', 'is_admin', 'user_id', 'userId', 'sellerId', 'seller_id', 'password_hash', 'id', 'status', 'constructor', 'unknownField'];

/**
 * Ids that the fuzz may put into bodies are kept outside the seeded ranges (products 1–40, categories 1–8),
 * so a body that happens to be valid can never change rows other test files read.
 */
const SAFE_ID_MIN = 1_000_000;

/**
 * zod-openapi writes a regex with flags as `source/flags` (the password rule `\p{L}` appears as `\p{L}/u`):
 * strip that suffix so the pattern means what the server checks.
 */
const jsPattern = (pattern: string) => pattern.replace(/\/[dgimsuvy]+$/, '');

const isIdField = (name: string) => /(^id$|Id$|_id$)/.test(name);

function typeOf(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null');
  return schema.type;
}

/** A value that satisfies (or nearly satisfies) a JSON Schema: the base of the mutated bodies. */
function validLooking(schema: JsonSchema, name = ''): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) {
    const nonNull = union.filter((s) => typeOf(s) !== 'null');
    return fc.oneof(...(nonNull.length ? nonNull : union).map((s) => validLooking(s, name)));
  }
  if (schema.allOf?.[0]) return validLooking(schema.allOf[0], name);
  switch (typeOf(schema)) {
    case 'string': {
      const minLength = schema.minLength ?? 0;
      const maxLength = Math.min(schema.maxLength ?? 40, Math.max(minLength, 40));
      if (schema.format === 'email' || /email/i.test(name)) return fc.uuid().map((u) => `fuzz-${u}@example.com`);
      if (schema.format === 'uuid' || isIdField(name)) return fc.uuid();
      if (schema.format === 'date-time') return fc.date({ noInvalidDate: true, min: new Date(2000, 0, 1), max: new Date(2100, 0, 1) }).map((d) => d.toISOString());
      if (schema.format === 'uri' || /url/i.test(name)) return fc.webUrl();
      if (schema.pattern) {
        try {
          return fc.stringMatching(new RegExp(jsPattern(schema.pattern), 'u')).filter((s) => s.length >= minLength && s.length <= (schema.maxLength ?? 10_000));
        } catch {
          // A pattern JavaScript cannot compile: fall through to plain text.
        }
      }
      return fc.string({ minLength: Math.max(minLength, 1), maxLength: Math.max(maxLength, 1) }).filter((s) => s.trim().length > 0);
    }
    case 'integer': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 0);
      const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 1000);
      if (isIdField(name)) return fc.integer({ min: Math.max(min, SAFE_ID_MIN), max: Math.max(max, SAFE_ID_MIN * 1000) });
      return fc.integer({ min, max: Math.min(max, 2 ** 31 - 1) });
    }
    case 'number': {
      const min = schema.minimum ?? 0;
      const max = Math.min(schema.maximum ?? 10_000, 1e9);
      return fc.integer({ min: Math.ceil(min * 100), max: Math.floor(max * 100) }).map((cents) => cents / 100);
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const item = schema.items ? validLooking(schema.items, name) : fc.jsonValue({ maxDepth: 1 });
      const minLength = schema.minItems ?? 0;
      return fc.array(item, { minLength, maxLength: Math.max(minLength, Math.min(schema.maxItems ?? 3, 3)) });
    }
    case 'object':
    default: {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(properties)) record[key] = validLooking(value, key);
      return fc.record(record, { requiredKeys: Object.keys(properties).filter((k) => required.has(k)) });
    }
  }
}

/** Values that break a field: wrong type, null, out of range, huge, odd unicode, injection. */
function breakingValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  const type = typeOf(schema);
  const outOfRange: unknown[] = [];
  if (schema.maximum !== undefined) outOfRange.push(schema.maximum + 1, schema.maximum * 1000);
  if (schema.minimum !== undefined) outOfRange.push(schema.minimum - 1);
  if (schema.maxLength !== undefined) outOfRange.push('x'.repeat(schema.maxLength + 1));
  if (schema.maxItems !== undefined) outOfRange.push(Array.from({ length: schema.maxItems + 1 }, () => 1));
  return fc.oneof(
    fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, -0.0001, 1e308, -1e308, 2 ** 53 + 1, '', ' ', [], {}, [null], { $gt: '' }, 'NaN', 'Infinity', '1e309'),
    type === 'string' ? fc.oneof(fc.integer(), fc.boolean(), fc.array(fc.string(), { maxLength: 2 })) : fc.string({ maxLength: 20 }),
    fc.constantFrom(...INJECTION_STRINGS),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 50 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
    fc.constant('x'.repeat(100_000)),
    outOfRange.length ? fc.constantFrom(...outOfRange) : fc.constant(-2_147_483_649),
  );
}

const objectOrEmpty = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};

/** A valid-looking body with exactly one field broken, removed, or one unknown field added. */
function mutatedBody(schema: JsonSchema): fc.Arbitrary<unknown> {
  const properties = Object.entries(schema.properties ?? {});
  const base = validLooking(schema);
  if (properties.length === 0) return fc.tuple(base, fc.constantFrom(...EXTRA_FIELDS), fc.jsonValue({ maxDepth: 1 })).map(([b, k, v]) => ({ ...objectOrEmpty(b), [k]: v }));
  return fc.oneof(
    fc.tuple(base, fc.integer({ min: 0, max: properties.length - 1 })).chain(([b, index]) => {
      const [key, fieldSchema] = properties[index]!;
      return breakingValue(fieldSchema).map((value) => ({ ...objectOrEmpty(b), [key]: value }));
    }),
    fc.tuple(base, fc.integer({ min: 0, max: properties.length - 1 })).map(([b, index]) => {
      const copy = objectOrEmpty(b);
      delete copy[properties[index]![0]];
      return copy;
    }),
    fc.tuple(base, fc.constantFrom(...EXTRA_FIELDS), fc.jsonValue({ maxDepth: 1 })).map(([b, k, v]) => ({ ...objectOrEmpty(b), [k]: v })),
  );
}

/** A valid-looking body whose string fields (any number of them) carry injection strings. */
function injectedBody(schema: JsonSchema): fc.Arbitrary<unknown> {
  const stringKeys = Object.entries(schema.properties ?? {})
    .filter(([key, s]) => !isIdField(key) && (typeOf(s) === 'string' || (s.anyOf ?? []).some((m) => typeOf(m) === 'string')) && !s.format && !s.pattern && !s.enum)
    .map(([key]) => key);
  if (stringKeys.length === 0) return mutatedBody(schema);
  return fc
    .tuple(validLooking(schema), fc.subarray(stringKeys, { minLength: 1 }), fc.constantFrom(...INJECTION_STRINGS))
    .map(([b, keys, text]) => Object.fromEntries([...Object.entries(objectOrEmpty(b)), ...keys.map((k) => [k, text])]));
}

/** Raw bodies that are not a JSON document of the expected shape at all. */
const RAW_BODIES = ['{', '{"a":', 'null', '[]', '"text"', '{"__proto__":{"role":"admin","isAdmin":true}}', '{"constructor":{"prototype":{"x":1}}}', '\u0000', '{"a":1,"a":2}', ' '.repeat(10), '1e999999', '['.repeat(5000)];

export type FuzzBody = { kind: 'json'; value: unknown } | { kind: 'raw'; text: string } | { kind: 'none' };

/**
 * The fuzz body generator for one route: arbitrary JSON (deep, odd), raw malformed text, a valid-looking
 * body with one field broken / dropped / an unknown field added, and injection strings in text fields.
 */
export function fuzzBody(schema: JsonSchema | undefined): fc.Arbitrary<FuzzBody> {
  const json = (arb: fc.Arbitrary<unknown>) => arb.map((value): FuzzBody => ({ kind: 'json', value }));
  const anyJson = json(fc.jsonValue({ maxDepth: 3 }));
  const raw = fc.constantFrom(...RAW_BODIES).map((text): FuzzBody => ({ kind: 'raw', text }));
  if (!schema) {
    return fc.oneof(anyJson, raw, fc.constant<FuzzBody>({ kind: 'none' }), json(fc.record({ [EXTRA_FIELDS[0]!]: fc.constant('admin') })));
  }
  return fc.oneof(
    { arbitrary: anyJson, weight: 2 },
    { arbitrary: raw, weight: 1 },
    { arbitrary: json(mutatedBody(schema)), weight: 5 },
    { arbitrary: json(injectedBody(schema)), weight: 2 },
  );
}

/** Path parameter values: valid-format, random and junk. `valid` are ids of real objects when the caller has some. */
export function pathValue(schema: JsonSchema, valid: readonly string[]): fc.Arbitrary<string> {
  const type = typeOf(schema);
  const randomFormat =
    type === 'integer' || type === 'number' || schema.pattern?.includes('\\d')
      ? fc.integer({ min: SAFE_ID_MIN, max: 2 ** 31 - 1 }).map(String)
      : fc.uuid();
  const junk = fc.constantFrom('0', '-1', '1.5', '9223372036854775808', '99999999999999999999999', 'abc', "1' OR '1'='1", '<script>', '%00', '..', 'null', 'undefined', ' ', '😀', 'ffffffff-ffff-ffff-ffff-fffffffffffffff');
  const options: fc.Arbitrary<string>[] = [randomFormat, junk, fc.uuid(), fc.string({ minLength: 1, maxLength: 30 })];
  if (valid.length) options.unshift(fc.constantFrom(...valid), fc.constantFrom(...valid));
  return fc.oneof(...options);
}

/**
 * A small JSON Schema check (types, required, additionalProperties, bounds, lengths, enum, pattern): true when
 * the route's own validator would probably accept the body. Used only to cap how many such bodies the fuzz sends.
 */
export function conformsTo(schema: JsonSchema, value: unknown): boolean {
  if (schema.const !== undefined) return value === schema.const;
  if (schema.enum) return schema.enum.includes(value);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.some((s) => conformsTo(s, value));
  if (schema.allOf) return schema.allOf.every((s) => conformsTo(s, value));
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (value === null) return types.includes('null');
  if (types.length === 0) return true;
  const type = types.find((t) => t !== 'null')!;
  switch (type) {
    case 'string': {
      if (typeof value !== 'string') return false;
      if (schema.minLength !== undefined && value.length < schema.minLength) return false;
      if (schema.maxLength !== undefined && value.length > schema.maxLength) return false;
      try {
        return !schema.pattern || new RegExp(jsPattern(schema.pattern), 'u').test(value);
      } catch {
        return true;
      }
    }
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || (type === 'integer' && !Number.isInteger(value))) return false;
      if (schema.minimum !== undefined && value < schema.minimum) return false;
      if (schema.maximum !== undefined && value > schema.maximum) return false;
      return true;
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value) && (!schema.items || value.every((v) => conformsTo(schema.items!, v)));
    case 'object': {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
      const record = value as Record<string, unknown>;
      const properties = schema.properties ?? {};
      if ((schema.required ?? []).some((key) => !(key in record))) return false;
      if (schema.additionalProperties === false && Object.keys(record).some((key) => !(key in properties))) return false;
      return Object.entries(record).every(([key, v]) => !properties[key] || conformsTo(properties[key], v));
    }
    default:
      return true;
  }
}
