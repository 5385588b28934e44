import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `vite dev` talks to a separately started `baton server` on :3000; the production build is
// served by that same server, so API calls stay same-origin and cookies just work.
const apiTarget = process.env.BATON_API_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // antd alone is larger than Vite's default 500 kB warning threshold; the warning would fire
    // on every build without telling anyone anything. Route-level splitting comes with real pages.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': apiTarget,
      '/readyz': apiTarget,
    },
  },
});
