import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// One build for both hosts: out/main (Electron main + the engine process entry),
// out/preload, and out/renderer — the same renderer the web host (`strata serve`) serves.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src-main/electron/main.ts'),
          engine: resolve(__dirname, 'src-main/engine/engine-main.ts'),
        },
        // Native and wasm engines load their binaries at run time from node_modules:
        // tfjs-node, sharp, onnxruntime-node (export parity) and h5wasm (Keras import/export).
        external: [/^@tensorflow\//, 'sharp', /^@img\//, 'onnxruntime-node', 'h5wasm'],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require only 'electron': bundle zod and the contract into it.
      externalizeDeps: false,
      // A sandboxed preload cannot be an ES module.
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      emptyOutDir: true,
      rollupOptions: { input: resolve(__dirname, 'src-renderer/index.html') },
    },
  },
});
