// Events: what happened to a key's objects. Webhook deliveries carry the object in `result`; an Event
// fetched through the API has none (event-retrieve-tracker-created.json, events-list.json).
import { hashHex, newId } from './ids.ts';
import { isoMillis } from './clock.ts';

export interface EventRecord {
  id: string;
  seq: number;
  apiKey: string;
  userId: string;
  mode: 'test' | 'production';
  description: string; // e.g. 'tracker.updated'
  previousAttributes: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  result: Record<string, unknown>; // snapshot of the object when the event happened
  pendingUrls: string[];
  completedUrls: string[];
  failedUrls: string[];
}

/** The user id EasyPost would show for an API key (stable per key). */
function userIdFor(apiKey: string): string {
  return `user_${hashHex(`user:${apiKey}`)}`;
}

/** Events of all keys, looked up by key. */
export class EventStore {
  private readonly events: EventRecord[] = [];
  private seq = 0;

  /** Records an event. */
  add(
    input: Pick<EventRecord, 'apiKey' | 'mode' | 'description' | 'previousAttributes' | 'result' | 'pendingUrls'>,
    now: number,
  ): EventRecord {
    const event: EventRecord = {
      ...input,
      id: newId('evt'),
      seq: ++this.seq,
      userId: userIdFor(input.apiKey),
      createdAt: now,
      updatedAt: now,
      completedUrls: [],
      failedUrls: [],
    };
    this.events.push(event);
    return event;
  }

  /** An event of this key, or undefined. */
  get(apiKey: string, id: string): EventRecord | undefined {
    return this.events.find((e) => e.id === id && e.apiKey === apiKey);
  }

  /** This key's events, newest first. */
  list(apiKey: string): EventRecord[] {
    return this.events.filter((e) => e.apiKey === apiKey).sort((a, b) => b.seq - a.seq);
  }
}

// EasyPost's event status: pending while deliveries run, then completed or failed.
function statusOf(e: EventRecord): string {
  if (e.pendingUrls.length > 0 || (e.completedUrls.length === 0 && e.failedUrls.length === 0)) return 'pending';
  return e.failedUrls.length > 0 ? 'failed' : 'completed';
}

/** GET /v2/events/:id shape (no result). */
export function eventJson(e: EventRecord): Record<string, unknown> {
  return {
    description: e.description,
    mode: e.mode,
    previous_attributes: e.previousAttributes,
    created_at: isoMillis(e.createdAt),
    pending_urls: e.pendingUrls,
    completed_urls: e.completedUrls,
    updated_at: isoMillis(e.updatedAt),
    id: e.id,
    user_id: e.userId,
    status: statusOf(e),
    object: 'Event',
  };
}

/** The webhook body (event-tracker-updated.json): as sent, status "pending" and every URL still pending. */
export function webhookBodyJson(e: EventRecord, urls: string[]): Record<string, unknown> {
  return { ...eventJson(e), pending_urls: urls, completed_urls: [], status: 'pending', result: e.result };
}

/** An item of GET /v2/events (events-list.json keeps only these keys). */
export function eventListItemJson(e: EventRecord): Record<string, unknown> {
  return {
    description: e.description,
    id: e.id,
    user_id: e.userId,
    status: statusOf(e),
    created_at: isoMillis(e.createdAt),
    mode: e.mode,
    object: 'Event',
  };
}
