/**
 * Locate a sibling entry point (worker or process) whether PhotoPool runs built (`dist/**.js`)
 * or from TypeScript sources under tsx/vitest (then the child needs `--import tsx`).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Entry {
  /** Absolute file path. */
  file: string;
  /** Node flags the thread or process running it needs. */
  execArgv: string[];
}

/**
 * @example
 * resolveEntry(import.meta.url, '../workers/convert.js') // { file: '/app/dist/workers/convert.js', execArgv: [] }
 */
export function resolveEntry(from: string, relJs: string): Entry {
  const js = fileURLToPath(new URL(relJs, from));
  if (existsSync(js)) return { file: js, execArgv: [] };
  const ts = js.replace(/\.js$/, '.ts');
  if (existsSync(ts)) return { file: ts, execArgv: ['--import', 'tsx'] };
  throw new Error(`PhotoPool is not built: ${js} is missing. Run "npm run build" first.`);
}
