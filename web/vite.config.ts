// The browser pages are built into ../build/web, which build/bin/cxs-server serves from memory.
// No inline scripts or styles (the CSP forbids them), hashed file names under /assets/.
import { defineConfig } from 'vite';

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
      output: {
        // ECharts in a chunk of its own, fetched only where a chart is drawn (after the figures).
        manualChunks: (id) => (/node_modules\/(echarts|zrender)\//.test(id) ? 'echarts' : undefined),
      },
    },
  },
});
