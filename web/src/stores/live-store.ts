import { create } from 'zustand';

/**
 * State of the live-updates socket: `idle` signed out, `connecting` first attempt, `live` socket healthy,
 * `off` disconnected and retrying. Queries poll as before unless the status is `live`.
 */
export type LiveStatus = 'idle' | 'connecting' | 'live' | 'off';

interface LiveState {
  status: LiveStatus;
  setStatus: (status: LiveStatus) => void;
}

export const useLiveStore = create<LiveState>()((set) => ({
  status: 'idle',
  setStatus: (status) => set({ status }),
}));

export const useLiveStatus = () => useLiveStore((state) => state.status);

/** True while the socket is healthy: polling can pause, events keep the cache fresh. */
export const useIsLive = () => useLiveStore((state) => state.status === 'live');
