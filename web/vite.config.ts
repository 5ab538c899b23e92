// The browser pages are built into ../build/web, which build/bin/cxs-server serves from memory.
// No inline scripts or styles (the CSP forbids them), hashed file names under /assets/.
// Three entries: index.html, the customer app (customer listener); ops.html, the operators' live
// page /ops (admin listener, src/ops/); and certsrv.html, the Japanese download page of client
// certificates /certsrv/ (customer listener, behind the download account's Basic auth,
// src/certsrv/). What they share (dom.ts, format.ts, styles.css) goes in a `shared` chunk,
// ECharts in its chunks as before.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const entry = (name: string) => fileURLToPath(new URL(name, import.meta.url));

const SHARED = /\/web\/src\/(dom\.ts|format\.ts|styles\.css)$/;
const DETAILED_ECHARTS = /node_modules\/echarts\/lib\/(chart\/heatmap|component\/(visualMap|marker|title))\//;

export default defineConfig({
  base: '/',
  build: {
    outDir: '../build/web',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2048,
    cssCodeSplit: true,
    rollupOptions: {
      input: { index: entry('./index.html'), ops: entry('./ops.html'), certsrv: entry('./certsrv.html') },
      output: {
        // ECharts in a chunk of its own, fetched only where a chart is drawn (after the figures); the
        // parts only the detailed analyses use (analyses/chart-detailed.ts) in another, so the
        // dashboard does not load them.
        manualChunks: (id) => (DETAILED_ECHARTS.test(id) ? 'echarts-detailed'
          : /node_modules\/(echarts|zrender)\//.test(id) ? 'echarts'
          : SHARED.test(id) ? 'shared' : undefined),
      },
    },
  },
});
