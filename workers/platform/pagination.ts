import { z } from '@hono/zod-openapi';

export const MAX_PAGE_SIZE = 100;

export type SortDirection = 'ASC' | 'DESC';
export interface Sort<F extends string> {
  field: F;
  direction: SortDirection;
}

/**
 * Query schema for paginated lists: 1-based `page`, `size` 1–100, and `sort=field,ASC|DESC`
 * restricted to a per-endpoint whitelist. `aliases` maps legacy names onto whitelisted fields.
 */
export function pageQuerySchema<const F extends string>(options: {
  sortFields: readonly [F, ...F[]];
  defaultSort: Sort<F>;
  defaultSize?: number;
  aliases?: Record<string, F>;
}) {
  const { sortFields, defaultSort, defaultSize = 20, aliases = {} } = options;
  const allowed = new Set<string>(sortFields);
  return z.object({
    page: z.coerce.number().int().min(1).max(100_000).default(1).openapi({ description: '1-based page number', example: 1 }),
    size: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(defaultSize).openapi({ description: `Page size, 1–${MAX_PAGE_SIZE}` }),
    sort: z
      .string()
      .max(64)
      .optional()
      .transform((value, ctx): Sort<F> => {
        if (value === undefined || value === '') return defaultSort;
        const [rawField = '', rawDirection = 'ASC'] = value.split(',').map((part) => part.trim());
        const field = (aliases[rawField] ?? rawField) as F;
        const direction = rawDirection.toUpperCase();
        if (!allowed.has(field) || (direction !== 'ASC' && direction !== 'DESC')) {
          ctx.addIssue({ code: 'custom', message: `sort must be one of ${sortFields.join(', ')} with ASC or DESC` });
          return z.NEVER;
        }
        return { field, direction };
      })
      .openapi({ description: `field,ASC|DESC where field ∈ ${sortFields.join(', ')}`, example: `${defaultSort.field},${defaultSort.direction}` }),
  });
}

export interface PageMeta {
  page: number;
  size: number;
  totalElements: number;
  totalPages: number;
}

export const pageMetaSchema = z
  .object({ page: z.number().int(), size: z.number().int(), totalElements: z.number().int(), totalPages: z.number().int() })
  .openapi('PageMeta');

export function pageMeta(page: number, size: number, totalElements: number): PageMeta {
  return { page, size, totalElements, totalPages: Math.ceil(totalElements / size) };
}

export const pageOffset = ({ page, size }: { page: number; size: number }) => (page - 1) * size;
