// "Get updates on this order": asks for notification permission only when tapped, subscribes this
// browser through the store's service worker and hands the subscription to the server. Every state
// is said in plain words. Hidden until hydrated: without JavaScript there is nothing to offer.
import { useEffect, useState } from 'preact/hooks';
import { follow, followedEndpoint, keyBytes, pushSupport, sameKey } from './push-support.ts';

interface Props {
  /** The order page's path: /{slug}/t/{token}. */
  orderPath: string;
  /** The store's scope for the service worker: /{slug}/. */
  scope: string;
  vapidKey: string;
  storeName: string;
}

type State = 'checking' | 'idle' | 'working' | 'subscribed' | 'blocked' | 'unsupported' | 'ios-install' | 'dismissed' | 'failed' | 'busy';

export default function PushOptIn({ orderPath, scope, vapidKey, storeName }: Props) {
  const [state, setState] = useState<State>('checking');

  useEffect(() => {
    void (async () => {
      const support = pushSupport();
      if (support !== 'ok') return setState(support);
      if (Notification.permission === 'denied') return setState('blocked');
      const reg = await navigator.serviceWorker.getRegistration(scope);
      const sub = await reg?.pushManager.getSubscription();
      setState(
        sub && Notification.permission === 'granted' && (await followedEndpoint(orderPath)) === sub.endpoint ? 'subscribed' : 'idle',
      );
    })().catch(() => setState('idle'));
  }, []);

  async function start() {
    setState('working');
    try {
      const permission = await Notification.requestPermission();
      if (permission === 'denied') return setState('blocked');
      if (permission !== 'granted') return setState('dismissed');
      const reg = await navigator.serviceWorker.register('/sw.js', { scope });
      await navigator.serviceWorker.ready;
      const key = keyBytes(vapidKey);
      let sub = await reg.pushManager.getSubscription();
      if (sub && !sameKey(sub, key)) {
        await sub.unsubscribe();
        sub = null;
      }
      sub ??= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
      const res = await fetch(`${orderPath}/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(sub),
      });
      if (res.status === 429) return setState('busy');
      if (!res.ok) return setState('failed');
      await follow(orderPath, sub.endpoint);
      setState('subscribed');
    } catch {
      setState('failed');
    }
  }

  async function stop() {
    setState('working');
    try {
      const reg = await navigator.serviceWorker.getRegistration(scope);
      const sub = await reg?.pushManager.getSubscription();
      // Only this order stops: the same browser may follow other orders from this store.
      if (sub) {
        const res = await fetch(`${orderPath}/push`, {
          method: 'DELETE',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ endpoint: sub.endpoint }),
        });
        if (!res.ok) return setState(res.status === 429 ? 'busy' : 'failed');
      }
      await follow(orderPath, null);
      setState('idle');
    } catch {
      setState('failed');
    }
  }

  const button = (label: string) => (
    <button type="button" class="button" onClick={() => void start()} disabled={state === 'working'}>
      {label}
    </button>
  );
  return (
    <section class="card push-optin" aria-labelledby="push-title" hidden={state === 'checking'} data-state={state}>
      <h2 id="push-title">Updates on this order</h2>
      <div role="status">
        {state === 'idle' && (
          <p class="detail">
            Get a notification when your parcel ships, is out for delivery or arrives, and if anything holds it up. Only news about this
            order.
          </p>
        )}
        {state === 'working' && <p class="detail">One moment…</p>}
        {state === 'subscribed' && <p>You will get updates on this device when something changes.</p>}
        {state === 'blocked' && (
          <p>
            Notifications from this site are blocked in your browser settings. To get updates, allow notifications for this site there, then
            reload this page.
          </p>
        )}
        {state === 'unsupported' && (
          <p>This browser cannot show updates from websites. Keep this page’s link to check your order any time.</p>
        )}
        {state === 'ios-install' && (
          <p>
            On iPhone and iPad, updates work once this page is on your Home Screen: tap the Share button, choose “Add to Home Screen”, then
            open {storeName} from your Home Screen and tap “Get updates on this order”.
          </p>
        )}
        {state === 'dismissed' && <p class="detail">You did not answer the browser’s question. Tap the button again when you are ready.</p>}
        {state === 'failed' && <p class="error">Updates could not be turned on just now. Please try again in a moment.</p>}
        {state === 'busy' && <p class="error">Too many changes for this order just now. Please try again in an hour.</p>}
      </div>
      {(state === 'idle' || state === 'dismissed' || state === 'failed' || state === 'working') && button('Get updates on this order')}
      {state === 'subscribed' && (
        <button type="button" class="button secondary" onClick={() => void stop()}>
          Stop updates
        </button>
      )}
    </section>
  );
}
