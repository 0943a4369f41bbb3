// Every word a push notification says, per language, in one place. Short: a phone shows about
// two lines. The title is the store's name (set by the caller); these are the bodies.
import type { NotificationKind } from './queue-notification.ts';

/** Finer shades of a kind, chosen from the parcel's state when the message is built. */
export type Shade = 'late' | 'quiet' | 'dispatch' | 'pickup' | 'returning' | 'failed' | 'lost' | 'damaged' | null;

export interface WordsInput {
  kind: NotificationKind;
  shade: Shade;
  number: string;
  /** "parcel 2 of 3" is worth saying only when the order has more than one. */
  parcel: { index: number; total: number } | null;
}

type Lang = 'en' | 'de' | 'fr' | 'es';
type Dict = {
  subject: (i: WordsInput) => string;
  kinds: Record<NotificationKind, (s: string) => string>;
  shades: Partial<Record<Exclude<Shade, null>, (s: string) => string>>;
};

const DICTS: Record<Lang, Dict> = {
  en: {
    subject: (i) => (i.parcel ? `Parcel ${i.parcel.index} of ${i.parcel.total} from order #${i.number}` : `Your order #${i.number}`),
    kinds: {
      shipped: (s) => `${s} is on its way.`,
      out_for_delivery: (s) => `${s} is out for delivery today.`,
      delivered: (s) => `${s} has been delivered.`,
      delayed: (s) => `${s} is running late. See the latest estimate.`,
      exception: (s) => `${s} has a delivery problem. See what happens next.`,
      return_label_ready: () => `Your return label is ready.`,
      return_received: () => `We have received your return.`,
      refund_released: () => `Your refund is on its way.`,
      review_invitation: (s) => `How was ${s.replace(/^Your /, 'your ')}? Tell us in a minute.`,
    },
    shades: {
      quiet: (s) => `${s}: no news from the carrier for a while. We are on it.`,
      dispatch: (s) => `${s} is taking longer than usual to ship.`,
      pickup: (s) => `${s} is ready to collect.`,
      returning: (s) => `${s} is on its way back to the store.`,
      failed: (s) => `${s}: the carrier could not deliver it.`,
      lost: (s) => `${s}: the carrier reported it lost. We will contact you.`,
      damaged: (s) => `${s}: the carrier reported it damaged. We will contact you.`,
    },
  },
  de: {
    subject: (i) =>
      i.parcel ? `Paket ${i.parcel.index} von ${i.parcel.total} der Bestellung #${i.number}` : `Ihre Bestellung #${i.number}`,
    kinds: {
      shipped: (s) => `${s} ist unterwegs.`,
      out_for_delivery: (s) => `${s} wird heute zugestellt.`,
      delivered: (s) => `${s} wurde zugestellt.`,
      delayed: (s) => `${s} verspätet sich. Hier die neueste Schätzung.`,
      exception: (s) => `${s}: Es gibt ein Problem bei der Zustellung.`,
      return_label_ready: () => `Ihr Rücksendeetikett ist bereit.`,
      return_received: () => `Ihre Rücksendung ist bei uns angekommen.`,
      refund_released: () => `Ihre Erstattung ist unterwegs.`,
      review_invitation: (s) => `Wie gefällt Ihnen ${s}? Sagen Sie es uns.`,
    },
    shades: { pickup: (s) => `${s} liegt zur Abholung bereit.` },
  },
  fr: {
    subject: (i) =>
      i.parcel ? `Colis ${i.parcel.index} sur ${i.parcel.total} de la commande n° ${i.number}` : `Votre commande n° ${i.number}`,
    kinds: {
      shipped: (s) => `${s} est en route.`,
      out_for_delivery: (s) => `${s} est en cours de livraison aujourd’hui.`,
      delivered: (s) => `${s} a été livrée.`,
      delayed: (s) => `${s} a du retard. Voir la nouvelle estimation.`,
      exception: (s) => `${s} : un problème de livraison est survenu.`,
      return_label_ready: () => `Votre étiquette de retour est prête.`,
      return_received: () => `Nous avons reçu votre retour.`,
      refund_released: () => `Votre remboursement est en route.`,
      review_invitation: (s) => `${s} vous plaît ? Dites-le-nous.`,
    },
    shades: { pickup: (s) => `${s} est prête à être retirée.` },
  },
  es: {
    subject: (i) =>
      i.parcel ? `El paquete ${i.parcel.index} de ${i.parcel.total} del pedido n.º ${i.number}` : `Tu pedido n.º ${i.number}`,
    kinds: {
      shipped: (s) => `${s} está en camino.`,
      out_for_delivery: (s) => `${s} está en reparto hoy.`,
      delivered: (s) => `${s} ha sido entregado.`,
      delayed: (s) => `${s} llega con retraso. Consulta la nueva estimación.`,
      exception: (s) => `${s} tiene un problema de entrega.`,
      return_label_ready: () => `Tu etiqueta de devolución está lista.`,
      return_received: () => `Hemos recibido tu devolución.`,
      refund_released: () => `Tu reembolso está en camino.`,
      review_invitation: (s) => `¿Qué te ha parecido ${s.replace(/^Tu /, 'tu ')}? Cuéntanoslo.`,
    },
    shades: { pickup: (s) => `${s} está listo para recoger.` },
  },
};

/** The language of an order's locale that we have words for (English otherwise). */
function wordsLanguage(locale: string): Lang {
  const lang = locale.toLowerCase().split('-')[0] as Lang;
  return Object.hasOwn(DICTS, lang) ? lang : 'en';
}

/** The body of a notification in the order's language. */
export function notificationBody(locale: string, i: WordsInput): string {
  const d = DICTS[wordsLanguage(locale)];
  const subject = d.subject(i);
  // A shade (pickup, lost, …) words delays and exceptions more precisely where this language has it.
  const shaded = i.shade && (i.kind === 'delayed' || i.kind === 'exception') ? d.shades[i.shade] : undefined;
  if (shaded) return shaded(subject);
  return d.kinds[i.kind](subject);
}
