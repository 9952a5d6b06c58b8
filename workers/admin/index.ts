/**
 * The admin domain's front door: nothing in another domain uses admin, so it exports nothing. Its routers and queue
 * consumers are wired by the composition layer (workers/app.ts, workers/index.ts).
 */
export {};
