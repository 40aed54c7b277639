import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { pathAliases } from './scripts/path-aliases.mjs';

// The renderer is loaded from disk by Electron (and over HTTP by the e2e
// bridge), so assets use relative URLs.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  resolve: { alias: pathAliases },
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true, target: 'chrome130' },
});
