import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const here = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = `http://localhost:${process.env.PORT ?? 3000}`;

export default defineConfig({
  root: here,
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // The bundled CJK font is ~1 MB per weight by design; don't warn about it.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '/api': {
        target: apiTarget,
        changeOrigin: true,
        // Server-sent events stay open: no proxy timeout, and ask for no compression so events are not buffered.
        timeout: 0,
        proxyTimeout: 0,
        headers: { 'Accept-Encoding': 'identity' },
      },
    },
  },
});
