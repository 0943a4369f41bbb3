// PATCH /api/v1/returns/{id}: the store's systems record what happened:
// {"status": "received" | "refunded" | "credited" | "exchanged" | "rejected", "note": "…"}. Audited.
import { z } from 'zod';
import { config } from '../../../../server/config.ts';
import { apiActor, apiRoute, json, readJson } from '../../../../server/http/api-route.ts';
import { problem } from '../../../../server/http/problem.ts';
import { returnMoved } from '../../../../server/changes/return-moved.ts';
import { changeReturn } from '../../../../server/returns/change-return.ts';
import { loadReturn } from '../../../../server/returns/load-return.ts';
import { toReturnJson } from '../../../../server/returns/return-json.ts';
import { parseOrThrow } from '../../../../server/validate.ts';

const PatchSchema = z.strictObject({
  status: z.enum(['received', 'refunded', 'credited', 'exchanged', 'rejected'], 'one of received, refunded, credited, exchanged, rejected'),
  note: z.string().max(2000, 'at most 2000 characters').nullish(),
});

export const PATCH = apiRoute(async ({ ctx, store }) => {
  const body = parseOrThrow(PatchSchema, await readJson(ctx.request), 'The return was not changed');
  const id = ctx.params.id ?? '';
  if (!(await loadReturn(store.id, { id }))) return problem(404, 'No such return in this store.');
  await changeReturn({
    storeId: store.id,
    returnId: id,
    to: body.status,
    note: body.note,
    actor: apiActor(ctx),
    now: Date.now(),
    moved: returnMoved,
  });
  const ret = (await loadReturn(store.id, { id }))!;
  return json(toReturnJson({ ...ret, orderNumber: ret.orderNumber }, { publicUrl: config().publicUrl, slug: store.slug }));
});
