import type { PhotoPoolApi } from '../../../common/contract.js';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode (see api/ws.ts). */
    readonly photopool?: PhotoPoolApi<File>;
  }
}
export {};
