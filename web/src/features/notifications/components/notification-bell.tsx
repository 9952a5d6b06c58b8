import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';

import { BellIcon } from '@/components/ui/icons';
import { useNotifications } from '@/features/notifications/api/get-notifications';
import { useMarkAllNotificationsRead, useMarkNotificationRead } from '@/features/notifications/api/mark-read';
import { formatDateTime } from '@/lib/format';
import type { Notification } from '@/types/api';

const linkFor = (n: Notification) => (n.orderId ? `/orders/${n.orderId}` : n.productId ? `/products/${n.productId}` : null);

/** Bell with the unread count and a dropdown of the 20 newest; Escape or a click outside closes it. */
export function NotificationBell() {
  const feed = useNotifications();
  const markAll = useMarkAllNotificationsRead();
  const markOne = useMarkNotificationRead();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const unread = feed.data?.unreadCount ?? 0;

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    const onPointer = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  return (
    <div className="dropdown" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="icon-link"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={unread > 0 ? `Notifications, ${unread} unread` : 'Notifications'}
        onClick={() => setOpen((o) => !o)}
      >
        <BellIcon />
        {unread > 0 ? (
          <span className="count-badge" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <div id={panelId} className="dropdown__panel" role="region" aria-label="Your notifications">
          <div className="dropdown__header">
            <h2>Notifications</h2>
            <button
              type="button"
              className="button button--link"
              onClick={() => markAll.mutate()}
              disabled={unread === 0 || markAll.isPending}
            >
              Mark all read
            </button>
          </div>
          {feed.isPending ? (
            <p className="field__hint">Loading…</p>
          ) : !feed.data || feed.data.items.length === 0 ? (
            <p className="field__hint">You have no notifications yet.</p>
          ) : (
            <ul className="notification-list">
              {feed.data.items.map((n) => {
                const href = linkFor(n);
                const content = (
                  <>
                    <p className="notification__title">
                      {!n.isRead ? <span className="visually-hidden">Unread: </span> : null}
                      {n.title}
                    </p>
                    {n.body ? <p className="notification__body">{n.body}</p> : null}
                    <time className="notification__time" dateTime={n.createdAt}>
                      {formatDateTime(n.createdAt)}
                    </time>
                  </>
                );
                return (
                  <li key={n.id}>
                    {href ? (
                      <Link
                        className="notification"
                        data-unread={!n.isRead}
                        to={href}
                        onClick={() => {
                          if (!n.isRead) markOne.mutate(n.id);
                          setOpen(false);
                        }}
                      >
                        {content}
                      </Link>
                    ) : (
                      <div className="notification" data-unread={!n.isRead}>
                        {content}
                      </div>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      ) : null}
    </div>
  );
}
