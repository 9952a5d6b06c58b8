import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type {
  AdminOrderDetail,
  AdminOrderQuery,
  AdminOrderSummary,
  AdminSummary,
  AdminUser,
  AdminUserQuery,
  AuditEntry,
  AuditLogQuery,
  DeadLetter,
  Order,
  PageMeta,
  SagaCounts,
  UserRole,
} from '@/types/api';

/** Every console query lives under `['admin']`, so one invalidation after an action refreshes the console. */
const ADMIN = 'admin';

export const useAdminSummary = () =>
  useQuery({ queryKey: [ADMIN, 'summary'], queryFn: ({ signal }) => api.get<AdminSummary>('/admin/summary', { signal }), refetchInterval: 30_000 });

export const useAuditLog = (query: AuditLogQuery) =>
  useQuery({
    queryKey: [ADMIN, 'audit-log', query],
    queryFn: ({ signal }) => api.getPage<AuditEntry>('/admin/audit-log', { query: { ...query }, signal }),
    placeholderData: keepPreviousData,
  });

export const useAdminOrders = (query: AdminOrderQuery) =>
  useQuery({
    queryKey: [ADMIN, 'orders', query],
    queryFn: ({ signal }) => api.getPage<AdminOrderSummary>('/admin/orders', { query: { ...query }, signal }),
    placeholderData: keepPreviousData,
  });

/** A PENDING order is re-read every 2 s: after a replay the operator watches the saga finish it. */
export const useAdminOrder = (id: string) =>
  useQuery({
    queryKey: [ADMIN, 'order', id],
    queryFn: ({ signal }) => api.get<AdminOrderDetail>(`/admin/orders/${id}`, { signal }),
    refetchInterval: (query) => (query.state.data?.order.status === 'PENDING' ? 2_000 : false),
  });

export type AdminOrderAction = 'cancel' | 'ship' | 'deliver';

function useAdminMutation<V, R>(mutationFn: (variables: V) => Promise<R>, extraKeys: string[][] = []) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSettled: () => Promise.all([ADMIN, ...extraKeys].map((key) => queryClient.invalidateQueries({ queryKey: Array.isArray(key) ? key : [key] }))),
  });
}

/** The order endpoints admins share with buyers and sellers; a 409 means the order moved on meanwhile. */
export const useAdminOrderAction = () =>
  useAdminMutation(
    ({ id, action, reason }: { id: string; action: AdminOrderAction; reason?: string }) =>
      api.put<Order>(`/orders/${id}/${action}`, action === 'cancel' && reason ? { body: { reason } } : {}),
    [['orders']],
  );

export interface DeadLetterPage {
  items: DeadLetter[];
  counts: SagaCounts;
  meta: PageMeta;
}

/** `GET /admin/dead-letters` puts items and saga counts in `data`; the page meta sits beside it. */
export const useDeadLetters = (query: { page: number; size?: number; open?: 'true' | 'false' }) =>
  useQuery({
    queryKey: [ADMIN, 'dead-letters', query],
    queryFn: async ({ signal }): Promise<DeadLetterPage> => {
      const { data, meta } = await api.getWithMeta<{ items: DeadLetter[]; counts: SagaCounts }>('/admin/dead-letters', { query: { size: 20, ...query }, signal });
      return { items: data.items, counts: data.counts, meta };
    },
    placeholderData: keepPreviousData,
  });

export interface ReplayOutcome {
  id: number;
  ok: boolean;
  requeued?: boolean;
  message?: string;
}

/** Replays letters one after another (each is its own idempotent call) and reports every outcome. */
export const useReplayDeadLetters = () =>
  useAdminMutation(
    async (ids: number[]) => {
      const outcomes: ReplayOutcome[] = [];
      for (const id of ids) {
        try {
          const result = await api.post<{ requeued: boolean }>(`/admin/dead-letters/${id}/replay`);
          outcomes.push({ id, ok: true, requeued: result.requeued });
        } catch (error) {
          outcomes.push({ id, ok: false, message: error instanceof Error ? error.message : 'Replay failed' });
        }
      }
      return outcomes;
    },
    [['orders']],
  );

export const useAdminUsers = (query: AdminUserQuery) =>
  useQuery({
    queryKey: [ADMIN, 'users', query],
    queryFn: ({ signal }) => api.getPage<AdminUser>('/admin/users', { query: { ...query }, signal }),
    placeholderData: keepPreviousData,
  });

export const useChangeRole = () => useAdminMutation(({ id, role }: { id: string; role: UserRole }) => api.put<unknown>(`/admin/users/${id}/role`, { body: { role } }));
export const useUnlockUser = () => useAdminMutation((id: string) => api.post<{ unlocked: boolean }>(`/admin/users/${id}/unlock`));
export const useResendVerification = () => useAdminMutation((id: string) => api.post<{ sent: boolean }>(`/admin/users/${id}/resend-verification`));

export const useSetProductStatus = () =>
  useAdminMutation(
    ({ id, status }: { id: number; status: 'ACTIVE' | 'INACTIVE' }) => api.put<unknown>(`/products/${id}`, { body: { status } }),
    [['products']],
  );

export const useCreateCategory = () =>
  useAdminMutation(({ name, parentId }: { name: string; parentId?: number }) => api.post<unknown>('/categories', { body: { name, ...(parentId ? { parentId } : {}) } }), [['categories']]);
export const useRenameCategory = () =>
  useAdminMutation(({ id, name }: { id: number; name: string }) => api.put<unknown>(`/admin/categories/${id}`, { body: { name } }), [['categories']]);
export const useDeleteCategory = () => useAdminMutation((id: number) => api.delete(`/admin/categories/${id}`), [['categories']]);
