// The worker's review scans read only what is due, by index, however many parcels and reviews
// the database holds: SQLite's plan for each real query names its partial index.
import { describe, expect, it } from 'vitest';
import { db } from '../../../src/server/db.ts';
import { dueHeldReviews } from '../../../src/server/reviews/publish-held-reviews.ts';
import { dueParcels } from '../../../src/server/reviews/scan-review-invitations.ts';
import { freshDatabase } from '../../support/database.ts';

type Client = { prepare(s: string): { all(...p: unknown[]): { detail: string }[] } };

function plan(q: { toSQL(): { sql: string; params: unknown[] } }): string {
  const { sql, params } = q.toSQL();
  const sqlite = (db() as unknown as { $client: Client }).$client;
  return sqlite
    .prepare(`explain query plan ${sql}`)
    .all(...params)
    .map((r) => r.detail)
    .join(' | ');
}

describe('due queries', () => {
  it('invitations: parcels whose review time has come, by shipments_review_due_idx', () => {
    freshDatabase();
    expect(plan(dueParcels(Date.now()))).toMatch(/USING INDEX shipments_review_due_idx/);
  });

  it('holds ending: reviews whose hold has ended, by reviews_publish_due_idx', () => {
    expect(plan(dueHeldReviews(Date.now()))).toMatch(/USING INDEX reviews_publish_due_idx/);
  });
});
