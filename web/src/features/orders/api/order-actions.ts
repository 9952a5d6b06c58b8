import { useMutation, useQueryClient } from '@tanstack/react-query';

import { client, dataOf } from '@/lib/api-client';
import { toast } from '@/stores/toast-store';
import type { Order } from '@/types/api';

type OrderAction = 'cancel' | 'deliver' | 'ship';

const SUCCESS: Record<OrderAction, string> = {
  cancel: 'Order cancelled.',
  deliver: 'Marked as delivered. Thanks for confirming!',
  ship: 'Order marked as shipped.',
};

/** What the seller ships with; the buyer sees it (with a tracking link for known carriers). */
export interface Shipment {
  carrier: string;
  trackingNumber: string;
}

/** `PUT /orders/:id/cancel|deliver|ship` (transitions); 409 when the order moved on meanwhile. */
export const changeOrderStatus = ({ id, action, shipment }: { id: string; action: OrderAction; shipment?: Shipment }) =>
  dataOf(client.PUT(`/orders/{id}/${action}`, { params: { path: { id } }, ...(shipment ? { body: shipment } : {}) }));

/** Every order query (lists, details, history) is refreshed: a transition changes all of them. */
export function useChangeOrderStatus({ onSuccess }: { onSuccess?: (order: Order, action: OrderAction) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: changeOrderStatus,
    onSuccess: (order, { action }) => {
      toast.success(SUCCESS[action]);
      onSuccess?.(order, action);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['orders'] }),
  });
}
