import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The dashboard is served by Lojal at /admin. In development (`npm run dev`), Vite serves it and
// passes the API through to a running Lojal (LOJAL_URL, http://localhost:3000 by default), so the
// session cookie is Lojal's own.
const target = process.env.LOJAL_URL ?? 'http://localhost:3000';

export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  // Lojal replaces this with a fresh nonce on every load of index.html (its CSP allows the
  // <style> elements Mantine writes only with it).
  html: { cspNonce: '__LOJAL_CSP_NONCE__' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline scripts or modulepreload polyfill: the app runs under a CSP of 'self' only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    // The chart's lazy chunk (ECharts) is the big one; the first load stays near 190 KB gzip.
    chunkSizeWarningLimit: 700,
    // Two pages: the dashboard (index.html, /admin) and the staff counter app (staff.html,
    // served at /staff, docs/staff-app.md), each with its own entry so neither loads the
    // other's code. The manifest lists the staff app's files for its service worker.
    manifest: true,
    rollupOptions: {
      input: { index: 'index.html', staff: 'staff.html' },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/v1': {
        target,
        // Lojal refuses cookie writes from another origin; in development the page is Vite's,
        // so the proxy presents the request as coming from Lojal itself.
        configure: (proxy) => {
          proxy.on('proxyReq', (request) => request.setHeader('origin', target));
        },
      },
    },
  },
});
