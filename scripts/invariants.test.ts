import { describe, expect, it } from 'vitest';

import { evaluateInvariants, type InvariantData, type StockLedger } from '../workers/orders/invariants.ts';

const ledger = (snapshot: Partial<StockLedger['snapshot']>, reservations: StockLedger['reservations']): StockLedger => ({
  snapshot: { productId: 1, onHand: 8, reserved: 1, available: 7, sold: 2, version: 5, ...snapshot },
  reservations,
});

const healthy = (): InvariantData => ({
  ledgers: new Map([
    [
      1,
      ledger({}, [
        { orderId: 'paid', quantity: 2, status: 'COMMITTED' },
        { orderId: 'waiting', quantity: 1, status: 'RESERVED' },
        { orderId: 'gone', quantity: 3, status: 'RELEASED' },
        { orderId: 'returned', quantity: 4, status: 'RESTOCKED' },
      ]),
    ],
  ]),
  lines: [
    { orderId: 'paid', productId: 1, quantity: 2, status: 'SHIPPED' },
    { orderId: 'waiting', productId: 1, quantity: 1, status: 'PENDING' },
    { orderId: 'gone', productId: 1, quantity: 3, status: 'CANCELLED' },
    { orderId: 'returned', productId: 1, quantity: 4, status: 'CANCELLED' },
  ],
  unrefunded: [],
  stalePending: [],
  staleOutbox: [],
});

describe('checkout invariant (evaluateInvariants)', () => {
  it('holds for consistent orders and stock', () => {
    expect(evaluateInvariants(healthy())).toEqual({ ok: true, violations: [], checked: { products: 1, orders: 4 } });
  });

  it('names a cancelled order whose units stayed sold, and the sold-count mismatch it causes', () => {
    const data = healthy();
    data.ledgers.get(1)!.reservations[3]!.status = 'COMMITTED';
    const report = evaluateInvariants(data);
    expect(report.ok).toBe(false);
    expect(report.violations.map((v) => v.kind).sort()).toEqual(['order-stock', 'units-sold']);
    expect(report.violations.find((v) => v.kind === 'order-stock')!.message).toContain('returned is CANCELLED');
  });

  it('names a paid order whose units were never committed', () => {
    const data = healthy();
    data.lines[1]!.status = 'CONFIRMED';
    expect(evaluateInvariants(data).violations.map((v) => v.kind).sort()).toEqual(['order-stock', 'units-sold']);
  });

  it('checks the stock arithmetic and negatives', () => {
    const data = healthy();
    data.ledgers.set(1, ledger({ available: 5, reserved: -1 }, data.ledgers.get(1)!.reservations));
    const kinds = evaluateInvariants(data).violations.map((v) => v.kind);
    expect(kinds).toContain('negative-stock');
    expect(kinds.filter((k) => k === 'stock-arithmetic')).toHaveLength(2);
  });

  it('reports unrefunded payments, stuck PENDING orders, stuck outbox rows and sold units with no ledger', () => {
    const data = healthy();
    data.unrefunded.push({ orderId: 'o1', paymentId: 'p1' });
    data.stalePending.push({ orderId: 'o2', ageSeconds: 2000 });
    data.staleOutbox.push({ id: 7, aggregateId: 'o3', eventType: 'order.created', ageSeconds: 400 });
    data.ledgers.set(2, null);
    data.lines.push({ orderId: 'o4', productId: 2, quantity: 1, status: 'DELIVERED' });
    expect(evaluateInvariants(data).violations.map((v) => v.kind)).toEqual(['units-sold', 'unrefunded-payment', 'stale-pending', 'stale-outbox']);
  });
});
