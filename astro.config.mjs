// Astro renders every page on the server; @astrojs/node runs in middleware mode so our own
// node:http front server (src/server/http/front-server.ts) answers cached order pages before Astro.
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import preact from '@astrojs/preact';

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'middleware', bodySizeLimit: 5 * 1024 * 1024 }),
  integrations: [preact()],
  server: { host: '127.0.0.1', port: 4321 },
  devToolbar: { enabled: false },
  markdown: { syntaxHighlight: false },
  security: {
    // Our own origin check (src/server/http/origin-check.ts) guards forms; the bearer-key API is exempt.
    checkOrigin: false,
    csp: {
      algorithm: 'SHA-256',
      directives: [
        "default-src 'self'",
        "img-src 'self' https: data:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ],
    },
  },
  vite: {
    build: { assetsInlineLimit: 0 },
  },
});
