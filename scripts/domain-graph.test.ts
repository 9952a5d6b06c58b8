import { describe, expect, it } from 'vitest';

import { crossDomainImports, cycles, domainOf, reviewDomainGraph, type ImportEdge } from './domain-graph.ts';

const edge = (fromFile: string, toFile: string): ImportEdge => ({ from: domainOf(fromFile)!, to: domainOf(toFile)!, fromFile, toFile });
const none = { durableObjects: {}, tableReads: {}, backEdges: {} };

describe('domain graph', () => {
  it('maps files to domains: Durable Objects to their owner, env.ts to the kernel, app.ts to the composition layer', () => {
    expect(domainOf('workers/orders/service.ts')).toBe('orders');
    expect(domainOf('durable-objects/stock.ts')).toBe('catalog');
    expect(domainOf('workers/env.ts')).toBe('platform');
    expect(domainOf('workers/app.ts')).toBe('composition');
  });

  it('allows front doors, the kernel and foreign keys between tables; refuses internals', () => {
    const review = reviewDomainGraph(
      [
        edge('workers/orders/service.ts', 'workers/catalog/index.ts'),
        edge('workers/orders/service.ts', 'workers/platform/db.ts'),
        edge('workers/orders/tables.ts', 'workers/catalog/tables.ts'),
        edge('workers/orders/pricing.ts', 'workers/catalog/tables.ts'),
        edge('workers/orders/pricing.ts', 'workers/catalog/summary.ts'),
      ],
      none,
    );
    expect(review.errors).toEqual([
      'forbidden import workers/orders/pricing.ts → workers/catalog/tables.ts: use @/catalog (its front door)',
      'forbidden import workers/orders/pricing.ts → workers/catalog/summary.ts: use @/catalog (its front door)',
    ]);
    expect(review.layers).toEqual([['catalog', 'platform'], ['orders']]);
  });

  it('fails on a cycle unless one of its edges is an allowed back edge, and on an allowance no longer needed', () => {
    const edges = [edge('workers/orders/service.ts', 'workers/payments/index.ts'), edge('workers/payments/service.ts', 'workers/orders/index.ts')];
    expect(reviewDomainGraph(edges, none).errors).toEqual(['import cycle between domains: orders ↔ payments']);
    const allowed = reviewDomainGraph(edges, { ...none, backEdges: { 'orders → payments': 'why' } });
    expect(allowed.errors).toEqual([]);
    expect(allowed.layers).toEqual([['orders'], ['payments']]);
    expect(allowed.openBackEdges).toEqual([['orders → payments', 'why']]);
    expect(reviewDomainGraph(edges.slice(1), { ...none, backEdges: { 'orders → payments': 'why' }, tableReads: { orders: ['catalog'] } }).errors).toEqual([
      'allowance no longer needed: orders reads the tables of catalog (remove it from scripts/domain-boundaries.json)',
      'allowance no longer needed: back edge orders → payments (remove it from scripts/domain-boundaries.json)',
    ]);
  });

  it('finds every cycle, not only direct ones', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c']]);
  });

  it('holds for this repository: no forbidden import, no cycle beyond the documented back edges', () => {
    const review = reviewDomainGraph(crossDomainImports(new URL('..', import.meta.url).pathname));
    expect(review.errors).toEqual([]);
    expect(review.layers[0]).toEqual(['platform']);
  });
});
