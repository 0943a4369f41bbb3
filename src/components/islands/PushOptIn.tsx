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
  /** Its words, already in the shopper's language (src/components/order/PushUpdates.astro): only these keys. */
  words: PushWords;
}

/** The words the opt-in shows, one per state (the catalogue's `push.optin.*`). */
export interface PushWords {
  title: string;
  idle: string;
  working: string;
  subscribed: string;
  blocked: string;
  unsupported: string;
  iosInstall: string;
  dismissed: string;
  failed: string;
  busy: string;
  start: string;
  stop: string;
}

type State = 'checking' | 'idle' | 'working' | 'subscribed' | 'blocked' | 'unsupported' | 'ios-install' | 'dismissed' | 'failed' | 'busy';

export default function PushOptIn({ orderPath, scope, vapidKey, words }: Props) {
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
      <h2 id="push-title">{words.title}</h2>
      <div role="status">
        {state === 'idle' && <p class="detail">{words.idle}</p>}
        {state === 'working' && <p class="detail">{words.working}</p>}
        {state === 'subscribed' && <p>{words.subscribed}</p>}
        {state === 'blocked' && <p>{words.blocked}</p>}
        {state === 'unsupported' && <p>{words.unsupported}</p>}
        {state === 'ios-install' && <p>{words.iosInstall}</p>}
        {state === 'dismissed' && <p class="detail">{words.dismissed}</p>}
        {state === 'failed' && <p class="error">{words.failed}</p>}
        {state === 'busy' && <p class="error">{words.busy}</p>}
      </div>
      {(state === 'idle' || state === 'dismissed' || state === 'failed' || state === 'working') && button(words.start)}
      {state === 'subscribed' && (
        <button type="button" class="button secondary" onClick={() => void stop()}>
          {words.stop}
        </button>
      )}
    </section>
  );
}
