// The worker's review scans read only what is due, by index, however many parcels and reviews
// the database holds: the plan of each real query names its partial index (SQLite's EXPLAIN QUERY PLAN;
// on the PostgreSQL leg EXPLAIN with sequential scans off, which uses the index only if it can serve the query).
import { describe, expect, it } from 'vitest';
import { queryPlan } from '../../../src/server/db.ts';
import { dueHeldReviews } from '../../../src/server/reviews/publish-held-reviews.ts';
import { dueParcels } from '../../../src/server/reviews/scan-review-invitations.ts';
import { freshDatabase } from '../../support/database.ts';

describe('due queries', () => {
  it('invitations: parcels whose review time has come, by shipments_review_due_idx', async () => {
    await freshDatabase();
    expect(await queryPlan(dueParcels(Date.now()))).toMatch(/(USING INDEX|Index Scan using|Bitmap Index Scan on) shipments_review_due_idx/);
  });

  it('holds ending: reviews whose hold has ended, by reviews_publish_due_idx', async () => {
    expect(await queryPlan(dueHeldReviews(Date.now()))).toMatch(
      /(USING INDEX|Index Scan using|Bitmap Index Scan on) reviews_publish_due_idx/,
    );
  });
});
