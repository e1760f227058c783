// npm's postinstall: builds the web UI into web/dist so `npm install && npm start` serves it.
// When the build tools are not installed (npm install --omit=dev), it says so and leaves the build to
// `npm run build:web`; the server then answers a 503 page naming that command instead of the UI.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const vite = fileURLToPath(new URL('../../node_modules/vite/bin/vite.js', import.meta.url));

if (!existsSync(vite)) {
  console.warn(
    'retailos: vite is not installed (dev dependencies omitted); run `npm run build:web` to build the web UI.',
  );
  process.exit(0);
}
const run = spawnSync(process.execPath, [vite, 'build', 'web', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
});
if (run.status !== 0) console.error('retailos: the web UI build failed; fix it and run `npm run build:web`.');
process.exit(run.status ?? 1);
