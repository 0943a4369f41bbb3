// The worker's review scans read only what is due, by index, however many parcels and reviews
// the database holds: SQLite's plan for each real query names its partial index.
import { describe, expect, it } from 'vitest';
import { queryPlan } from '../../../src/server/db.ts';
import { dueHeldReviews } from '../../../src/server/reviews/publish-held-reviews.ts';
import { dueParcels } from '../../../src/server/reviews/scan-review-invitations.ts';
import { freshDatabase } from '../../support/database.ts';

describe('due queries', () => {
  it('invitations: parcels whose review time has come, by shipments_review_due_idx', async () => {
    await freshDatabase();
    expect(await queryPlan(dueParcels(Date.now()))).toMatch(/USING INDEX shipments_review_due_idx/);
  });

  it('holds ending: reviews whose hold has ended, by reviews_publish_due_idx', async () => {
    expect(await queryPlan(dueHeldReviews(Date.now()))).toMatch(/USING INDEX reviews_publish_due_idx/);
  });
});
