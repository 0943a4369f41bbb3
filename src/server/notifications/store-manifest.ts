// A store's web app manifest: its name, colour and icon; installed from an order page, it opens
// that order. Scoped to the store's pages, the same scope its service worker registers for.
import { themeFor } from '../stores/branding.ts';
import type { Store } from '../stores/store.ts';
import { DEFAULT_ICON_PATH } from './build-notification.ts';

/** The manifest for one store, starting at `startPath` (an order page of that store). */
export function storeManifest(store: Store, startPath: string): Record<string, unknown> {
  const theme = themeFor(store.branding);
  const logo = store.branding.logoUrl;
  return {
    id: `/${store.slug}/`,
    name: store.name,
    short_name: [...store.name].slice(0, 12).join(''),
    start_url: startPath,
    scope: `/${store.slug}/`,
    display: 'standalone',
    theme_color: theme.brand,
    background_color: '#ffffff',
    icons: [
      ...(logo ? [{ src: logo, sizes: 'any', purpose: 'any' }] : []),
      { src: DEFAULT_ICON_PATH, sizes: '192x192', type: 'image/png', purpose: 'any' },
    ],
  };
}
