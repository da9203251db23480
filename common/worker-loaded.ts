/**
 * The BroadcastChannel on which a worker thread says that its modules (sharp, koffi and their
 * native addons) are loaded. A thread terminated while a native addon registers takes the
 * whole process down (koffi's registration aborts with "napi_throw"), so the engine waits for
 * this message before it ends a pool or exits (engine/pools/loaded.ts, workers/convert.ts).
 */
export const WORKER_LOADED_CHANNEL = 'photopool:worker-loaded';
