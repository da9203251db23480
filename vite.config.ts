/**
 * Vite builds two things:
 * - default mode: the React UI (renderer/) into dist/renderer, with relative asset URLs so the
 *   same build loads from the browser-mode server and from file:// in Electron;
 * - `--mode preload`: Electron's preload script bundled into one CommonJS file
 *   (dist/electron/preload.cjs), as sandboxed preloads cannot load other local modules.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig(({ mode }) => {
  if (mode === 'preload') {
    return {
      root,
      build: {
        outDir: 'dist/electron',
        emptyOutDir: false,
        minify: false,
        sourcemap: true,
        target: 'node20',
        lib: { entry: 'electron/preload.ts', formats: ['cjs'], fileName: () => 'preload.cjs' },
        rollupOptions: { external: ['electron'] },
      },
    };
  }
  return {
    root: 'renderer',
    base: './',
    plugins: [react()],
    build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  };
});
