import path from 'node:path';
import { defineConfig } from 'vite';

/**
 * The desk's page, built into dist/apps/dashboard where the api serves it (`/` and
 * `/assets/*`). React's JSX goes through Vite's own Oxc transform (automatic runtime):
 * @vitejs/plugin-react would add only fast refresh for `vite dev`, and its optional Babel
 * peers do not resolve under npm 11 here.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: path.resolve(import.meta.dirname, '..', '..', 'dist', 'apps', 'dashboard'),
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    // `npx vite --config apps/dashboard/vite.config.ts` while developing, beside an `npm start` on :3000.
    proxy: Object.fromEntries(['/stories', '/stream', '/companies', '/admin', '/session'].map((route) => [route, 'http://127.0.0.1:3000'])),
  },
});
