import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Every entry is explicit: our layout (electron/main, electron/preload, renderer/) is not electron-vite's default.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      lib: { entry: resolve(import.meta.dirname, 'electron/main/index.ts') },
      rollupOptions: { external: ['better-sqlite3', 'sharp', 'bufferutil', 'utf-8-validate'] },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      lib: { entry: resolve(import.meta.dirname, 'electron/preload/index.ts') },
      // A sandboxed preload cannot be an ES module: CommonJS, named .cjs because package.json says "type": "module".
      rollupOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      rollupOptions: { input: resolve(import.meta.dirname, 'renderer/index.html') },
    },
  },
});
