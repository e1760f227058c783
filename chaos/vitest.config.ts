import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run chaos:short`: the short chaos run as a test, outside `npm test` for its time (72 s on
// Postgres, 164 s on PGlite on the 2-core machine under load; docs/ARCHITECTURE.md, "The chaos run").
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    reporters: ['default', './test-support/count-reporter.ts'],
    include: ['chaos/short-run.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
