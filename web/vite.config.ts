import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The browser UI. `npm run build:web` writes web/dist, which the server serves (src/http/plugins/web-ui.ts).
 * `npx vite web` runs a dev server that proxies the API to a Retailos on :3000.
 */
const backend = process.env['RETAILOS_DEV_BACKEND'] ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 600 },
  server: { proxy: { '/api': backend, '/shopify/callback': backend } },
});
