import { createExecutionContext, env } from 'cloudflare:test';

import { createApp } from '@/app';

/** A JSON Schema node as zod-openapi emits it (OpenAPI 3.1 = JSON Schema 2020-12). */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  format?: string;
  pattern?: string;
  default?: unknown;
  example?: unknown;
}

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path with `{param}` placeholders. */
  path: string;
  pathParams: string[];
  /** JSON Schema of each path parameter, by name. */
  paramSchemas: Record<string, JsonSchema>;
  /** The JSON request body schema with every `$ref` resolved, when the route takes a body. */
  body?: JsonSchema;
  bodyRequired: boolean;
  /** True when the route declares `bearerAuth` (protected). */
  secured: boolean;
  /** Statuses the route documents. */
  statuses: number[];
}

interface OpenApiDocument {
  paths: Record<string, Record<string, {
    security?: Record<string, unknown>[];
    parameters?: { in: string; name: string; schema?: JsonSchema }[];
    requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
    responses?: Record<string, unknown>;
  }>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const WRITE_METHODS: readonly Operation['method'][] = ['post', 'put', 'patch', 'delete'];

function resolveRefs(schema: JsonSchema, components: Record<string, JsonSchema>, depth = 0): JsonSchema {
  if (depth > 12) return {};
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return resolveRefs(components[name] ?? {}, components, depth + 1);
  }
  const out: JsonSchema = { ...schema };
  if (schema.properties) {
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([key, value]) => [key, resolveRefs(value, components, depth + 1)]));
  }
  if (schema.items) out.items = resolveRefs(schema.items, components, depth + 1);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (schema[key]) out[key] = schema[key].map((s) => resolveRefs(s, components, depth + 1));
  }
  return out;
}

/**
 * Every operation of the whole app, read from its own OpenAPI document (`/api/openapi.json`), so the
 * security suite covers each route as soon as a domain router is mounted — no hand-kept list.
 */
export async function loadOperations(): Promise<Operation[]> {
  const res = await createApp().request('/api/openapi.json', {}, env, createExecutionContext());
  if (res.status !== 200) throw new Error(`openapi.json answered ${res.status}`);
  const doc = await res.json<OpenApiDocument>();
  const components = doc.components?.schemas ?? {};
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const schema = op.requestBody?.content?.['application/json']?.schema;
      operations.push({
        method,
        path,
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
        paramSchemas: Object.fromEntries((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => [p.name, resolveRefs(p.schema ?? {}, components)])),
        body: schema ? resolveRefs(schema, components) : undefined,
        bodyRequired: op.requestBody?.required ?? false,
        secured: (op.security ?? []).some((s) => 'bearerAuth' in s),
        statuses: Object.keys(op.responses ?? {}).map(Number).filter(Number.isFinite),
      });
    }
  }
  return operations;
}

export const isWrite = (op: Operation) => WRITE_METHODS.includes(op.method);
export const opName = (op: Operation) => `${op.method.toUpperCase()} ${op.path}`;

/** Fills `{param}` placeholders (values are URI-encoded). */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? 'missing'));
}
