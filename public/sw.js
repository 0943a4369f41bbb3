// Waypost's service worker: shows an order update pushed by the store's server, and opens (or
// focuses) the order page when the shopper taps it. Registered per store (scope /{slug}/), so a
// device's push subscription for one store says nothing to another. Plain script, no imports:
// served as a static file with the rest of public/.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : '' };
  }
  const title = typeof data.title === 'string' && data.title ? data.title : 'Order update';
  const options = {
    body: typeof data.body === 'string' ? data.body : '',
    icon: typeof data.icon === 'string' ? data.icon : '/icons/notification.png',
    badge: '/icons/notification.png',
    lang: typeof data.lang === 'string' ? data.lang : undefined,
    // One notification per parcel: a newer update replaces the older one on the device.
    tag: typeof data.tag === 'string' ? data.tag : undefined,
    renotify: typeof data.tag === 'string',
    data: { url: typeof data.url === 'string' ? data.url : self.registration.scope },
  };
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  // Only ever our own pages: the path of the link, on this site.
  let target;
  try {
    const u = new URL(event.notification.data && event.notification.data.url, self.location.origin);
    target = new URL(u.pathname, self.location.origin).href;
  } catch {
    target = self.registration.scope;
  }
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      for (const w of windows) {
        if (new URL(w.url).pathname === new URL(target).pathname && 'focus' in w) return w.focus();
      }
      return self.clients.openWindow(target);
    })(),
  );
});

// The browser renewed or replaced the subscription (Firefox does; Chromium never fires this):
// give the new one to every order this browser follows (the list the page keeps in Cache
// Storage) and forget the old one, so updates keep coming without the shopper doing anything.
self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(
    (async () => {
      const old = event.oldSubscription;
      const sub = event.newSubscription || (old && old.options ? await self.registration.pushManager.subscribe(old.options) : null);
      if (!sub) return;
      const followed = await caches.open('waypost-push-followed');
      const json = { 'content-type': 'application/json' };
      for (const request of await followed.keys()) {
        const orderPath = new URL(request.url).pathname;
        if (!orderPath.startsWith(new URL(self.registration.scope).pathname)) continue;
        const res = await fetch(`${orderPath}/push`, { method: 'POST', headers: json, body: JSON.stringify(sub) });
        if (!res.ok) continue;
        if (old && old.endpoint !== sub.endpoint)
          await fetch(`${orderPath}/push`, { method: 'DELETE', headers: json, body: JSON.stringify({ endpoint: old.endpoint }) });
        await followed.put(request, new Response(sub.endpoint));
      }
    })(),
  );
});
