// Lint = the layering rule (as VS Code's "code-import-patterns") plus a few correctness rules.
// Layers import only downward:
//   common/    pure TS: nothing but other common/ files and zod
//   workers/   common/ + Node + sharp
//   engine/    common/ + Node + libraries; workers/ only as a file path for piscina
//   electron/  common/ + electron; of engine/ only the UI session shared with browser mode
//              (engine/ui/session.ts: no image work, it drives the engine process it is given)
//   renderer/  common/ + React/browser libraries: no Node, electron, engine or workers
import tseslint from 'typescript-eslint';

const NODE = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'url', 'stream', 'util', 'events', 'http', 'https', 'net'];
const NATIVE = ['sharp', 'piscina', 'electron', 'koffi'];
const layer = (files, groups, message) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }] },
});

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'release/**', 'node_modules/**', '.tmp/**', 'test-results/**', 'playwright-report/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-debugger': 'error',
    },
  },
  layer(['common/**/*.ts'], [...NODE, ...NATIVE, '**/engine/**', '**/workers/**', '**/electron/**', '**/renderer/**', 'react', 'react-dom'], 'common/ is pure TypeScript: no Node, DOM, electron or other layers.'),
  layer(['workers/**/*.ts'], ['electron', '**/engine/**', '**/electron/**', '**/renderer/**'], 'workers/ may import only common/, Node and sharp.'),
  layer(['engine/**/*.ts'], ['electron', '**/workers/**', '**/electron/**', '**/renderer/**'], 'engine/ never imports electron, the UI, or worker code (workers are loaded by path).'),
  layer(['electron/**/*.ts'], ['**/engine/*', '**/engine/*/*', '!**/engine/ui', '**/engine/ui/*', '!**/engine/ui/session.js', '**/workers/**', '**/renderer/**', 'sharp', 'piscina'], 'electron/ talks to the engine only through the process it forks (and the shared UI session).'),
  layer(['renderer/**/*.ts', 'renderer/**/*.tsx'], [...NODE, ...NATIVE, '**/engine/**', '**/workers/**', '**/electron/**'], 'renderer/ is React only: no Node, electron, engine or workers.'),
);
