import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

/** The React UI, built into web/dist and served by the agentstream server at `/`. */
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  // The app imports ../client and ../src/events; nothing is fetched from a CDN at run time. `vite --config
  // web/vite.config.ts` serves it with hot reload, proxying the API to a running server.
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] }, proxy: { '/v1': process.env.AGENTSTREAM_URL ?? 'http://localhost:8000' } },
  build: { outDir: fileURLToPath(new URL('./dist', import.meta.url)), emptyOutDir: true, chunkSizeWarningLimit: 1500 },
});
