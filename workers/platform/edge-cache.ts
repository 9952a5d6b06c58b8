/** The colo's default cache (Cache API); undefined outside workerd (Node scripts), where nothing is cached. */
export const edgeCache = (): Cache | undefined => (typeof caches === 'undefined' ? undefined : caches.default);
