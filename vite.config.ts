// The renderer build: Svelte 5 UI from renderer/ into dist/renderer/. base './' so the same files
// load over the browser bridge (http) and from file:// inside Electron.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('./renderer'),
  base: './',
  plugins: [svelte({ configFile: here('./svelte.config.js') })],
  build: {
    outDir: here('./dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // One CSS file next to the script: the CSP allows no inline <style> from the page itself.
    cssCodeSplit: false,
  },
  server: { host: '127.0.0.1', strictPort: true },
});
