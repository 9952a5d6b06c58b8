import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript';

import { createApp } from '@/app';

/** The SPA's generated wire types; `web/src/types/api.ts` names them for the pages. */
const API_TYPES_FILE = join(import.meta.dirname, '../web/src/types/openapi.gen.ts');

const HEADER = `${COMMENT_HEADER}// Generated from the Worker's /api/openapi.json by \`npm run gen:api-types\` (scripts/openapi-types.ts).\n// Do not edit: change the zod schema in workers/, then regenerate.\n\n`;

/**
 * Asks the real app for its OpenAPI 3.1 document, exactly as `/api/openapi.json` serves it. The document is built
 * from the route definitions alone (no binding is read on that path), so an env with only a quiet log level is
 * enough in Node.
 */
async function fetchOpenApiDocument(): Promise<OpenAPI3> {
  const res = await createApp().request('/api/openapi.json', {}, { LOG_LEVEL: 'error' });
  if (!res.ok) throw new Error(`/api/openapi.json answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as OpenAPI3;
}

/** Renders the TypeScript for the app's current OpenAPI document (what `openapi.gen.ts` must contain). */
export async function renderApiTypes(): Promise<string> {
  // A `default` makes a field optional to send (zod fills it in), so it must not be read as "always present".
  const ast = await openapiTS(await fetchOpenApiDocument(), { defaultNonNullable: false });
  return HEADER + astToString(ast);
}

/** Reads the committed generated file, to compare it with a fresh rendering. */
export async function readCommittedApiTypes(): Promise<string> {
  return readFile(API_TYPES_FILE, 'utf8');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile(API_TYPES_FILE, await renderApiTypes());
  console.log(`wrote ${API_TYPES_FILE}`);
}
