/**
 * The session's requests for settings and for a finished batch's outputs: the shared settings
 * file, "Open output folder" (the platform's opener: Electron's shell.openPath, or the browser
 * server's file-manager launcher) and the browser-mode zip download.
 */
import { existsSync } from 'node:fs';
import type { Handlers, Snapshot } from '../../common/contract.js';
import type { SettingsStore } from '../settings.js';

type Names = 'getSettings' | 'saveSettings' | 'openOutputFolder' | 'outputsZip';

/** What these handlers need from the session and its platform. */
export interface DesktopHooks {
  snapshot: Snapshot;
  settings?: SettingsStore;
  /** Open a folder in the system file manager; resolves with an error message or null. */
  openPath?: (path: string) => Promise<string | null>;
  /** URL of the current batch's outputs as a zip (browser mode), or undefined. */
  outputsZipUrl?: () => string;
}

/**
 * @example
 * const handlers = { ...core, ...desktopHandlers({ snapshot, settings: new SettingsStore() }) };
 */
export function desktopHandlers(h: DesktopHooks): Pick<Handlers, Names> {
  const noStore = () => new Error('Settings are not available in this mode');
  return {
    getSettings: async () => {
      if (!h.settings) throw noStore();
      return { settings: h.settings.get(), problem: h.settings.problem, file: h.settings.file };
    },
    saveSettings: async ({ patch }) => {
      if (!h.settings) throw noStore();
      return { settings: h.settings.update(patch) };
    },
    openOutputFolder: async () => {
      const output = h.snapshot.batch?.spec.output ?? null;
      if (!output) return { opened: false, path: null, message: 'No batch yet: convert something first' };
      if (!existsSync(output)) return { opened: false, path: output, message: `The output folder ${output} does not exist any more` };
      if (!h.openPath) return { opened: false, path: output, message: 'Opening folders is not supported here' };
      const error = await h.openPath(output);
      return { opened: !error, path: output, message: error };
    },
    outputsZip: async () => {
      const b = h.snapshot.batch;
      return { url: h.outputsZipUrl && b && b.state === 'done' ? h.outputsZipUrl() : null };
    },
  };
}
