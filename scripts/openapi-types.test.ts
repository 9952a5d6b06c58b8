import { describe, expect, it } from 'vitest';

import { readCommittedApiTypes, renderApiTypes } from './openapi-types.ts';

describe('web/src/types/openapi.gen.ts', () => {
  it('matches the OpenAPI document the Worker serves (run `npm run gen:api-types` after changing a schema)', async () => {
    expect(await readCommittedApiTypes(), 'openapi.gen.ts is stale: run `npm run gen:api-types` and commit it').toBe(await renderApiTypes());
  }, 30_000);
});
