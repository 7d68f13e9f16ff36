import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer bundle. Main and preload are built by scripts/build.mjs with the same Vite,
// so one `npm run build` produces all three.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
  server: { port: 5173, strictPort: false },
});
