import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';

import { EmptyState, ErrorState } from '@/components/ui/empty-state';
import { Pagination } from '@/components/ui/pagination';
import { SkeletonRows } from '@/components/ui/skeleton';
import { useAdminUsers, useChangeRole, useResendVerification, useUnlockUser } from '@/features/admin/api/admin-api';
import { adminErrorMessage } from '@/features/admin/components/admin-error';
import { InlineConfirm } from '@/components/ui/inline-confirm';
import { usePageParam } from '@/hooks/use-page-param';
import { getErrorMessage } from '@/lib/error-message';
import { formatDate, formatDateTime } from '@/lib/format';
import { useCurrentUser } from '@/stores/auth-store';
import { toast } from '@/stores/toast-store';
import type { AdminUser, AdminUserQuery, UserRole } from '@/types/api';

const ROLES: UserRole[] = ['customer', 'seller', 'admin'];

function RoleChanger({ user, onError }: { user: AdminUser; onError: (message: string) => void }) {
  const [role, setRole] = useState<UserRole>(user.role);
  const change = useChangeRole();
  return (
    <span className="inline-confirm">
      <label>
        <span className="visually-hidden">Role of {user.email}</span>
        <select className="input input--compact" value={role} onChange={(e) => setRole(e.target.value as UserRole)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <InlineConfirm
        label="Change role"
        question={`Make ${user.email} ${role}? Their session ends.`}
        confirmLabel="Yes, change"
        disabled={role === user.role}
        pending={change.isPending}
        onConfirm={() =>
          change.mutate(
            { id: user.id, role },
            { onSuccess: () => toast.success(`${user.email} is now ${role}; their session has ended.`), onError: (err) => onError(adminErrorMessage(err)) },
          )
        }
      />
    </span>
  );
}

export function Component() {
  const [params, setParams] = useSearchParams();
  const page = usePageParam();
  const me = useCurrentUser();
  const q = params.get('q') ?? '';
  const role = ROLES.find((r) => r === params.get('role'));
  const state = params.get('state') === 'locked' ? 'locked' : params.get('state') === 'unverified' ? 'unverified' : undefined;
  const query: AdminUserQuery = { page, size: 20, ...(q && { q }), ...(role && { role }), ...(state && { state }) };
  const users = useAdminUsers(query);
  const unlock = useUnlockUser();
  const resend = useResendVerification();
  const [error, setError] = useState<string | null>(null);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const name of ['q', 'role', 'state']) {
      const entry = String(form.get(name) ?? '').trim();
      if (entry) next.set(name, entry);
    }
    setParams(next);
  };
  const report = (message: string) => setError(message);

  return (
    <>
      <title>Admin users · Edge Shop</title>
      <div className="page__header">
        <h1>Users</h1>
      </div>
      <form className="form card admin-filters" role="search" aria-label="Search users" onSubmit={onSubmit} key={params.toString()}>
        <label className="field">
          <span className="field__label">E-mail, name or id</span>
          <input className="input" name="q" defaultValue={q} />
        </label>
        <label className="field">
          <span className="field__label">Role</span>
          <select className="input" name="role" defaultValue={role ?? ''}>
            <option value="">Any</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">State</span>
          <select className="input" name="state" defaultValue={state ?? ''}>
            <option value="">Any</option>
            <option value="locked">Locked</option>
            <option value="unverified">Unverified</option>
          </select>
        </label>
        <div className="form__actions">
          <button type="submit" className="button button--primary">
            Search
          </button>
          <Link className="button button--secondary" to="/admin/users">
            Clear
          </Link>
        </div>
      </form>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {users.isPending && !users.data ? <SkeletonRows rows={5} /> : null}
      {users.error && !users.data ? <ErrorState message={getErrorMessage(users.error)} onRetry={() => void users.refetch()} /> : null}
      {users.data && users.data.data.length === 0 ? <EmptyState title="No users match." /> : null}
      {users.data && users.data.data.length > 0 ? (
        <>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Joined</th>
                <th scope="col">State</th>
                <th scope="col">Role</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {users.data.data.map((user) => (
                <tr key={user.id}>
                  <td data-label="User" className="admin-break">
                    <strong>{user.email}</strong>
                    <br />
                    {user.firstName} {user.lastName}
                    {user.id === me?.id ? ' (you)' : ''}
                  </td>
                  <td data-label="Joined">{formatDate(user.createdAt)}</td>
                  <td data-label="State">
                    <span className={`badge badge--${user.isVerified ? 'success' : 'warning'}`}>{user.isVerified ? 'Verified' : 'Unverified'}</span>{' '}
                    {user.lockedUntil ? <span className="badge badge--danger">Locked until {formatDateTime(user.lockedUntil)}</span> : null}
                  </td>
                  <td data-label="Role">
                    <RoleChanger key={`${user.id}-${user.role}`} user={user} onError={report} />
                  </td>
                  <td data-label="Actions">
                    <span className="inline-confirm">
                      {user.lockedUntil ? (
                        <button
                          type="button"
                          className="button button--secondary button--small"
                          disabled={unlock.isPending}
                          onClick={() => unlock.mutate(user.id, { onSuccess: () => toast.success(`${user.email} can sign in again.`), onError: (err) => report(adminErrorMessage(err)) })}
                        >
                          Unlock<span className="visually-hidden"> {user.email}</span>
                        </button>
                      ) : null}
                      {!user.isVerified ? (
                        <button
                          type="button"
                          className="button button--secondary button--small"
                          disabled={resend.isPending}
                          onClick={() => resend.mutate(user.id, { onSuccess: () => toast.success(`A new code was sent to ${user.email}.`), onError: (err) => report(adminErrorMessage(err)) })}
                        >
                          Resend verification<span className="visually-hidden"> to {user.email}</span>
                        </button>
                      ) : null}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pagination page={page} totalPages={users.data.meta.totalPages} />
        </>
      ) : null}
    </>
  );
}
