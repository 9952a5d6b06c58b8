import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';

import { EmptyState, ErrorState } from '@/components/ui/empty-state';
import { Pagination } from '@/components/ui/pagination';
import { SkeletonRows } from '@/components/ui/skeleton';
import { type ReplayOutcome, useDeadLetters, useReplayDeadLetters } from '@/features/admin/api/admin-api';
import { usePageParam } from '@/hooks/use-page-param';
import { getErrorMessage } from '@/lib/error-message';
import { formatDateTime } from '@/lib/format';

const orderIdOf = (body: unknown) => (typeof body === 'object' && body !== null && typeof (body as { orderId?: unknown }).orderId === 'string' ? (body as { orderId: string }).orderId : null);
const typeOf = (body: unknown) => (typeof body === 'object' && body !== null && typeof (body as { type?: unknown }).type === 'string' ? (body as { type: string }).type : 'unknown');

function outcomeText(outcome: ReplayOutcome) {
  if (!outcome.ok) return `Letter ${outcome.id}: not replayed — ${outcome.message ?? 'failed'}`;
  return outcome.requeued ? `Letter ${outcome.id}: sent back to its queue.` : `Letter ${outcome.id}: already replayed earlier; nothing sent.`;
}

export function Component() {
  const [params] = useSearchParams();
  const page = usePageParam();
  const onlyOpen = params.get('open') === 'true';
  const letters = useDeadLetters({ page, ...(onlyOpen ? { open: 'true' as const } : {}) });
  const replay = useReplayDeadLetters();
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [outcomes, setOutcomes] = useState<ReplayOutcome[]>([]);

  const run = (ids: number[]) => {
    setOutcomes([]);
    replay.mutate(ids, {
      onSuccess: (result) => {
        setOutcomes(result);
        setSelected(new Set());
      },
    });
  };
  const toggle = (id: number) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const data = letters.data;
  return (
    <>
      <title>Dead letters · Edge Shop</title>
      <div className="page__header">
        <h1>Dead letters</h1>
      </div>
      <nav className="tabs" aria-label="Filter dead letters">
        <Link className="chip" to="/admin/dead-letters?open=true" aria-current={onlyOpen ? 'true' : undefined}>
          Waiting
        </Link>
        <Link className="chip" to="/admin/dead-letters" aria-current={onlyOpen ? undefined : 'true'}>
          All
        </Link>
      </nav>
      {data ? (
        <p className="field__hint">
          {data.counts.dlqDepth} waiting · {data.counts.outboxBacklog} outbox rows unpublished for over 30 s · {data.counts.pendingOrders.total} PENDING orders (
          {data.counts.pendingOrders.olderThan15m} older than 15 min)
        </p>
      ) : null}
      <div className="form__actions">
        <button type="button" className="button button--primary" disabled={selected.size === 0 || replay.isPending} onClick={() => run([...selected])}>
          {replay.isPending ? 'Replaying…' : `Replay selected (${selected.size})`}
        </button>
      </div>
      <div aria-live="polite" role="status">
        {outcomes.length > 0 ? (
          <ul className="admin-outcomes">
            {outcomes.map((outcome) => (
              <li key={outcome.id} className={outcome.ok ? 'badge badge--success' : 'badge badge--danger'}>
                {outcomeText(outcome)}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {letters.isPending && !data ? <SkeletonRows rows={5} /> : null}
      {letters.error && !data ? <ErrorState message={getErrorMessage(letters.error)} onRetry={() => void letters.refetch()} /> : null}
      {data && data.items.length === 0 ? <EmptyState title={onlyOpen ? 'No dead letters waiting.' : 'No dead letters.'} /> : null}
      {data && data.items.length > 0 ? (
        <>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">Select</span>
                </th>
                <th scope="col">Message</th>
                <th scope="col">Failed</th>
                <th scope="col">Reason</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((letter) => {
                const orderId = orderIdOf(letter.body);
                const replayable = letter.replayedAt === null && letter.errorStage !== 'deserialize';
                return (
                  <tr key={letter.id}>
                    <td data-label="Select">
                      <input
                        type="checkbox"
                        aria-label={`Select letter ${letter.id}`}
                        checked={selected.has(letter.id)}
                        disabled={!replayable}
                        onChange={() => toggle(letter.id)}
                      />
                    </td>
                    <td data-label="Message" className="admin-break">
                      <strong>{typeOf(letter.body)}</strong> on {letter.queue}
                      {orderId ? (
                        <>
                          {' · '}
                          <Link to={`/admin/orders/${orderId}`}>order {orderId.replaceAll('-', '').slice(-8).toUpperCase()}</Link>
                        </>
                      ) : null}
                      <details>
                        <summary>Message body</summary>
                        <pre className="admin-json">{JSON.stringify(letter.body, null, 2)}</pre>
                      </details>
                    </td>
                    <td data-label="Failed">
                      <time dateTime={letter.failedAt}>{formatDateTime(letter.failedAt)}</time> · {letter.attempts} attempts
                    </td>
                    <td data-label="Reason" className="admin-break">
                      {letter.errorStage}: {letter.errorReason}
                    </td>
                    <td data-label="State">{letter.replayedAt ? `Replayed ${formatDateTime(letter.replayedAt)}` : 'Waiting'}</td>
                    <td data-label="Actions">
                      {replayable ? (
                        <button type="button" className="button button--secondary button--small" disabled={replay.isPending} onClick={() => run([letter.id])}>
                          Replay<span className="visually-hidden"> letter {letter.id}</span>
                        </button>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <Pagination page={page} totalPages={data.meta.totalPages} />
        </>
      ) : null}
    </>
  );
}
