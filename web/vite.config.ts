import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';

// The built UI is served by `tiaojie serve --web web/dist` under the server's CSP
// (script-src 'self'): no inline scripts, no eval, no external resources.
export default defineConfig({
  base: '/',
  plugins: [vue()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    chunkSizeWarningLimit: 1200,
    // No inlined assets as data: URLs for scripts; small images may be inlined (img-src data: is allowed).
    assetsInlineLimit: 4096,
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (!id.includes('node_modules')) return undefined;
          if (id.includes('/echarts/') || id.includes('/zrender/')) return 'echarts';
          if (id.includes('/element-plus/') || id.includes('/@element-plus/') || id.includes('/@vueuse/')
            || id.includes('/@floating-ui/') || id.includes('/async-validator/') || id.includes('/dayjs/')
            || id.includes('/lodash')) return 'element-plus';
          if (id.includes('/vue/') || id.includes('/@vue/') || id.includes('/vue-router/') || id.includes('/pinia/')) return 'vue';
          return 'vendor';
        },
      },
    },
  },
});
