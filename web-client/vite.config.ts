import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Every page the server serves from its web root; each is its own entry with its own small bundle. */
const pages = ['index', 'moderator', 'projector', 'overlay', 'organiser', 'report', 'accessibility'];

/** During `npm run dev`, API and WebSocket calls go to a Plenum server on this address. */
const devServer = process.env.PLENUM_DEV_SERVER ?? 'http://127.0.0.1:8080';

export default defineConfig({
  // Relative asset paths: the pages work from the web root and from any sub-path behind a proxy.
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    // Nothing is inlined as data: URIs, so a strict Content-Security-Policy (img-src 'self') holds.
    assetsInlineLimit: 0,
    rollupOptions: {
      input: Object.fromEntries(pages.map((p) => [p, `${root}${p}.html`])),
    },
  },
  server: {
    proxy: {
      '/api': devServer,
      '/health': devServer,
      '/ws': { target: devServer.replace(/^http/, 'ws'), ws: true },
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
