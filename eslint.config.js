// Lint = the layering rule (as VS Code's "code-import-patterns"), no import cycles anywhere
// (import-x/no-cycle), plus a few correctness rules. Layers import only downward:
//   common/    pure TS: nothing but other common/ files and zod
//   workers/   common/ + Node + sharp/koffi (piscina entry points)
//   engine/    the engine process alone: common/ + Node + libraries; workers/ only as a file
//              path for piscina; never app/, electron or a front-end
//   app/       everything that starts or talks to an engine (engine client, UI session, CLI,
//              browser-mode server, bench orchestration): common/ + engine/ + Node
//   electron/  main + preload: common/ + electron + the app layer (the UI session, the engine
//              client's types); never engine/ or workers/ directly, no image libraries
//   renderer/  common/ + React/browser libraries: no Node, electron, engine, app or workers
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

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
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    // resolves './x.js' to x.ts as tsc does, so that no-cycle sees every edge
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['*/tsconfig.json'], noWarnOnMultipleProjects: true })],
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-debugger': 'error',
      // (type-only imports are not followed: a cycle must be one of values or re-exports)
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  layer(['common/**/*.ts'], [...NODE, ...NATIVE, '**/engine/**', '**/app/**', '**/workers/**', '**/electron/**', '**/renderer/**', 'react', 'react-dom'], 'common/ is pure TypeScript: no Node, DOM, electron or other layers.'),
  layer(['workers/**/*.ts'], ['electron', '**/engine/**', '**/app/**', '**/electron/**', '**/renderer/**'], 'workers/ may import only common/, Node and sharp.'),
  layer(['engine/**/*.ts'], ['electron', '**/app/**', '**/workers/**', '**/electron/**', '**/renderer/**'], 'engine/ is the engine process alone: never the app layer, electron, the UI, or worker code (workers are loaded by path).'),
  layer(['app/**/*.ts'], ['electron', '**/workers/**', '**/electron/**', '**/renderer/**'], 'app/ drives engines: common/ and engine/ only (workers are loaded by path), never electron or the UI.'),
  layer(['electron/**/*.ts'], ['**/engine/**', '**/workers/**', '**/renderer/**', 'sharp', 'piscina', 'koffi'], 'electron/ talks to the engine only through the app layer (the UI session) and the process it forks.'),
  layer(['renderer/**/*.ts', 'renderer/**/*.tsx'], [...NODE, ...NATIVE, '**/engine/**', '**/app/**', '**/workers/**', '**/electron/**'], 'renderer/ is React only: no Node, electron, engine, app or workers.'),
);
