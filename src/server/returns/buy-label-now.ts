// A label bought while a person waits: the shopper who just confirmed, the staff who just approved.
// Both go through buyReturnLabel (one lease, bought once); a slow carrier does not hold the page
// past waitMs: the purchase carries on under its lease and the page says it is still under way.
import { log } from '../log.ts';
import { buyReturnLabel, type LabelOutcome } from './buy-return-label.ts';
import type { ReturnMoved } from './return-move.ts';

const PAGE_WAIT_MS = 8_000;

/** What the page tells: bought, failed (retried by the returns job), or still being bought. */
export type LabelNow = LabelOutcome | 'still_buying';

/** Tries the return's label now and waits for it at most waitMs. */
export async function buyLabelNow(o: {
  storeId: string;
  returnId: string;
  owner: string;
  now: () => number;
  moved: ReturnMoved;
  waitMs?: number;
}): Promise<LabelNow> {
  const buying = buyReturnLabel(o).catch((err: unknown): LabelOutcome => {
    log.error({ err, returnId: o.returnId }, 'buying a return label from a page failed; the returns job will retry');
    return 'failed';
  });
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<'still_buying'>((resolve) => {
    timer = setTimeout(() => resolve('still_buying'), o.waitMs ?? PAGE_WAIT_MS).unref();
  });
  try {
    return await Promise.race([buying, waited]);
  } finally {
    clearTimeout(timer);
  }
}
