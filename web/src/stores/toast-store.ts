import { create } from 'zustand';

import { isApiError } from '@/lib/api-client';
import { getErrorMessage } from '@/lib/error-message';

export type ToastTone = 'error' | 'success' | 'info';

export interface Toast {
  id: number;
  tone: ToastTone;
  message: string;
  /** Shown so a shopper can quote it to support; matches the server log line. */
  requestId?: string | undefined;
}

interface ToastState {
  toasts: Toast[];
  show: (toast: Omit<Toast, 'id'>) => number;
  dismiss: (id: number) => void;
}

// Errors stay longer: they usually need reading and sometimes a request id copied (WCAG 2.2.1).
const DISMISS_AFTER_MS: Record<ToastTone, number> = { error: 10_000, success: 5_000, info: 5_000 };
const MAX_VISIBLE = 4;
let nextId = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

export const useToastStore = create<ToastState>()((set, get) => ({
  toasts: [],
  show: (toast) => {
    // A burst of identical failures (several queries hitting the same outage) should read as one message.
    const duplicate = get().toasts.find((t) => t.tone === toast.tone && t.message === toast.message);
    if (duplicate) return duplicate.id;
    const id = nextId++;
    set((state) => ({ toasts: [...state.toasts, { ...toast, id }].slice(-MAX_VISIBLE) }));
    timers.set(
      id,
      setTimeout(() => get().dismiss(id), DISMISS_AFTER_MS[toast.tone]),
    );
    return id;
  },
  dismiss: (id) => {
    clearTimeout(timers.get(id));
    timers.delete(id);
    set((state) => ({ toasts: state.toasts.filter((t) => t.id !== id) }));
  },
}));

/** Imperative toasts for pages, mutations and the query cache; rendered by `<Toaster />`. */
export const toast = {
  error: (message: string, requestId?: string) => useToastStore.getState().show({ tone: 'error', message, requestId }),
  success: (message: string) => useToastStore.getState().show({ tone: 'success', message }),
  info: (message: string) => useToastStore.getState().show({ tone: 'info', message }),
  /** Shows any thrown value (usually an `ApiError`) as a friendly error toast with its request id. */
  fromError: (error: unknown) =>
    useToastStore
      .getState()
      .show({ tone: 'error', message: getErrorMessage(error), requestId: isApiError(error) ? error.requestId : undefined }),
};
