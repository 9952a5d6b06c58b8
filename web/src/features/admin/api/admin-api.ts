import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { client, dataOf, pageOf, withMetaOf } from '@/lib/api-client';
import type { AdminOrderQuery, AdminUserQuery, AuditLogQuery, DeadLetter, PageMeta, SagaCounts, UserRole } from '@/types/api';

/** Every console query lives under `['admin']`, so one invalidation after an action refreshes the console. */
const ADMIN = 'admin';

export const useAdminSummary = () =>
  useQuery({ queryKey: [ADMIN, 'summary'], queryFn: ({ signal }) => dataOf(client.GET('/admin/summary', { signal })), refetchInterval: 30_000 });

export const useAuditLog = (query: AuditLogQuery) =>
  useQuery({
    queryKey: [ADMIN, 'audit-log', query],
    queryFn: ({ signal }) => pageOf(client.GET('/admin/audit-log', { params: { query: { ...query } }, signal })),
    placeholderData: keepPreviousData,
  });

export const useAdminOrders = (query: AdminOrderQuery) =>
  useQuery({
    queryKey: [ADMIN, 'orders', query],
    queryFn: ({ signal }) => pageOf(client.GET('/admin/orders', { params: { query: { ...query } }, signal })),
    placeholderData: keepPreviousData,
  });

/** A PENDING order is re-read every 2 s: after a replay the operator watches the saga finish it. */
export const useAdminOrder = (id: string) =>
  useQuery({
    queryKey: [ADMIN, 'order', id],
    queryFn: ({ signal }) => dataOf(client.GET('/admin/orders/{id}', { params: { path: { id } }, signal })),
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
      dataOf(client.PUT(`/orders/{id}/${action}`, { params: { path: { id } }, ...(action === 'cancel' && reason ? { body: { reason } } : {}) })),
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
      const { data, meta } = await withMetaOf(client.GET('/admin/dead-letters', { params: { query: { size: 20, ...query } }, signal }));
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
          const result = await dataOf(client.POST('/admin/dead-letters/{id}/replay', { params: { path: { id } } }));
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
    queryFn: ({ signal }) => pageOf(client.GET('/admin/users', { params: { query: { ...query } }, signal })),
    placeholderData: keepPreviousData,
  });

export const useChangeRole = () => useAdminMutation(({ id, role }: { id: string; role: UserRole }) => dataOf(client.PUT('/admin/users/{id}/role', { params: { path: { id } }, body: { role } })));
export const useUnlockUser = () => useAdminMutation((id: string) => dataOf(client.POST('/admin/users/{id}/unlock', { params: { path: { id } } })));
export const useResendVerification = () => useAdminMutation((id: string) => dataOf(client.POST('/admin/users/{id}/resend-verification', { params: { path: { id } } })));

export const useSetProductStatus = () =>
  useAdminMutation(
    ({ id, status }: { id: number; status: 'ACTIVE' | 'INACTIVE' }) => dataOf(client.PUT('/products/{id}', { params: { path: { id } }, body: { status } })),
    [['products']],
  );

export const useCreateCategory = () =>
  useAdminMutation(({ name, parentId }: { name: string; parentId?: number }) => dataOf(client.POST('/categories', { body: { name, ...(parentId ? { parentId } : {}) } })), [['categories']]);
export const useRenameCategory = () =>
  useAdminMutation(({ id, name }: { id: number; name: string }) => dataOf(client.PUT('/admin/categories/{id}', { params: { path: { id } }, body: { name } })), [['categories']]);
export const useDeleteCategory = () => useAdminMutation((id: number) => dataOf(client.DELETE('/admin/categories/{id}', { params: { path: { id } } })), [['categories']]);
