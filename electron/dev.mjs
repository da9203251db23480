#!/usr/bin/env node
// `npm run dev`: start the desktop app from the build (run `npm run build` first, as the script does).
// Where the Electron binary was not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD, offline machines)
// say how to get it instead of failing obscurely.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let binary = null;
try {
  binary = require('electron');
} catch {
  binary = null;
}
if (typeof binary !== 'string' || !existsSync(binary)) {
  process.stderr.write(
    'photopool: the Electron binary is not installed (node_modules/electron/dist is missing).\n' +
      '  Get it with:  node node_modules/electron/install.js   (downloads Electron; needs network access)\n' +
      '  or point ELECTRON_OVERRIDE_DIST_PATH at an unpacked Electron.\n' +
      '  Without Electron, the same app runs in your browser:  node bin/photopool ui --open\n',
  );
  process.exit(1);
}
const child = spawn(binary, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
