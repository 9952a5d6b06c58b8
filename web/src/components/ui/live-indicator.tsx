import { useLiveStatus } from '@/stores/live-store';

/**
 * Says so when live updates are off (socket down, reconnecting): pages then refresh themselves by polling.
 * `data-live-status` always carries the state, for tests and support.
 */
export function LiveIndicator() {
  const status = useLiveStatus();
  const off = status === 'off';
  return (
    <span className={off ? 'live-indicator live-indicator--off' : 'live-indicator'} data-live-status={status} role="status">
      {off ? (
        <span title="Reconnecting. Until then, pages refresh every few seconds.">
          <span className="live-indicator__dot" aria-hidden="true" />
          <span className="live-indicator__label">Live updates off</span>
        </span>
      ) : null}
    </span>
  );
}
