import { type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';

import { EmptyState, ErrorState } from '@/components/ui/empty-state';
import { Pagination } from '@/components/ui/pagination';
import { SkeletonRows } from '@/components/ui/skeleton';
import { useAuditLog } from '@/features/admin/api/admin-api';
import { usePageParam } from '@/hooks/use-page-param';
import { getErrorMessage } from '@/lib/error-message';
import { formatDateTime } from '@/lib/format';
import type { AuditEntry, AuditLogQuery } from '@/types/api';

const TARGETS: NonNullable<AuditLogQuery['targetType']>[] = ['user', 'order', 'payment', 'dead_letter', 'product', 'category', 'promotion', 'tax_rate'];

const show = (value: unknown) => (value === null || value === undefined ? '—' : JSON.stringify(value));

function targetLink(entry: AuditEntry) {
  if (entry.targetType === 'order') return <Link to={`/admin/orders/${entry.targetId}`}>order {entry.targetId.replaceAll('-', '').slice(-8).toUpperCase()}</Link>;
  if (entry.targetType === 'user') return <Link to={`/admin/users?q=${entry.targetId}`}>user {entry.targetId.slice(-8)}</Link>;
  if (entry.targetType === 'product') return <Link to={`/products/${entry.targetId}`}>product {entry.targetId}</Link>;
  return `${entry.targetType.replace('_', ' ')} ${entry.targetId}`;
}

export function Component() {
  const [params, setParams] = useSearchParams();
  const page = usePageParam();
  const action = params.get('action') ?? '';
  const targetType = TARGETS.find((t) => t === params.get('targetType'));
  const targetId = params.get('targetId') ?? '';
  const query: AuditLogQuery = { page, size: 25, ...(action && { action }), ...(targetType && { targetType }), ...(targetId && { targetId }) };
  const log = useAuditLog(query);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const name of ['action', 'targetType', 'targetId']) {
      const entry = String(form.get(name) ?? '').trim();
      if (entry) next.set(name, entry);
    }
    setParams(next);
  };

  return (
    <>
      <title>Audit log · Edge Shop</title>
      <div className="page__header">
        <h1>Audit log</h1>
      </div>
      <form className="form card admin-filters" role="search" aria-label="Filter the audit log" onSubmit={onSubmit} key={params.toString()}>
        <label className="field">
          <span className="field__label">Action</span>
          <input className="input" name="action" defaultValue={action} placeholder="e.g. user.role_changed" />
        </label>
        <label className="field">
          <span className="field__label">Target type</span>
          <select className="input" name="targetType" defaultValue={targetType ?? ''}>
            <option value="">Any</option>
            {TARGETS.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">Target id</span>
          <input className="input" name="targetId" defaultValue={targetId} />
        </label>
        <div className="form__actions">
          <button type="submit" className="button button--primary">
            Filter
          </button>
          <Link className="button button--secondary" to="/admin/audit-log">
            Clear
          </Link>
        </div>
      </form>
      {log.isPending && !log.data ? <SkeletonRows rows={6} /> : null}
      {log.error && !log.data ? <ErrorState message={getErrorMessage(log.error)} onRetry={() => void log.refetch()} /> : null}
      {log.data && log.data.data.length === 0 ? <EmptyState title="No admin actions recorded yet." /> : null}
      {log.data && log.data.data.length > 0 ? (
        <>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Target</th>
                <th scope="col">Before → after</th>
              </tr>
            </thead>
            <tbody>
              {log.data.data.map((entry) => (
                <tr key={entry.id}>
                  <td data-label="When">
                    <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt)}</time>
                  </td>
                  <td data-label="Who" className="admin-break">
                    {entry.actorEmail}
                  </td>
                  <td data-label="What">
                    <code>{entry.action}</code>
                  </td>
                  <td data-label="Target" className="admin-break">
                    {targetLink(entry)}
                  </td>
                  <td data-label="Before → after" className="admin-break">
                    <code>{show(entry.before)}</code> → <code>{show(entry.after)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pagination page={page} totalPages={log.data.meta.totalPages} />
        </>
      ) : null}
    </>
  );
}
