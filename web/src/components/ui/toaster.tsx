import { CloseIcon } from '@/components/ui/icons';
import { type Toast, useToastStore } from '@/stores/toast-store';

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  return (
    <div className={`toast toast--${toast.tone}`}>
      <div className="toast__body">
        <p className="toast__message">{toast.message}</p>
        {toast.requestId ? (
          <p className="toast__meta">
            Reference: <code>{toast.requestId}</code>
          </p>
        ) : null}
      </div>
      <button type="button" className="toast__close" aria-label="Dismiss notification" onClick={() => onDismiss(toast.id)}>
        <CloseIcon width={18} height={18} />
      </button>
    </div>
  );
}

/**
 * Renders toasts into two live regions that exist from the first paint: screen readers only announce content
 * added to a region they already know about. Errors interrupt (alert), everything else waits its turn (status).
 */
export function Toaster() {
  const toasts = useToastStore((state) => state.toasts);
  const dismiss = useToastStore((state) => state.dismiss);

  return (
    <section className="toaster" aria-label="Notifications">
      <div role="alert" className="toaster__region">
        {toasts
          .filter((toast) => toast.tone === 'error')
          .map((toast) => (
            <ToastItem key={toast.id} toast={toast} onDismiss={dismiss} />
          ))}
      </div>
      <div role="status" className="toaster__region">
        {toasts
          .filter((toast) => toast.tone !== 'error')
          .map((toast) => (
            <ToastItem key={toast.id} toast={toast} onDismiss={dismiss} />
          ))}
      </div>
    </section>
  );
}
