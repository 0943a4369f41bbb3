// EasyPost's cursor pagination: newest first, `before_id`/`after_id` cursors, `page_size`, `has_more`.
import { ApiError } from './errors.ts';

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

/** One page of `items` (already newest first) for the list query; a 404 when a cursor id is unknown. */
export function paginate<T extends { id: string; createdAt: number }>(items: T[], query: URLSearchParams): { page: T[]; hasMore: boolean } {
  const sizeParam = query.get('page_size');
  const size = sizeParam === null ? DEFAULT_PAGE_SIZE : Math.trunc(Number(sizeParam));
  if (!Number.isFinite(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new ApiError(422, 'PARAMETER.INVALID', 'Invalid page_size.', [
      { field: 'page_size', message: `must be between 1 and ${MAX_PAGE_SIZE}` },
    ]);
  }
  let list = items;
  const start = query.get('start_datetime');
  const end = query.get('end_datetime');
  if (start) list = list.filter((x) => x.createdAt >= Date.parse(start));
  if (end) list = list.filter((x) => x.createdAt <= Date.parse(end));
  const before = query.get('before_id');
  const after = query.get('after_id');
  if (before) list = list.slice(cursorIndex(list, items, before) + 1); // older than the cursor
  if (after) {
    // Newer than the cursor; keep the ones right after it so repeated polling never skips any.
    const newer = list.slice(0, cursorIndex(list, items, after));
    const page = newer.slice(Math.max(0, newer.length - size));
    return { page, hasMore: newer.length > size };
  }
  return { page: list.slice(0, size), hasMore: list.length > size };
}

function cursorIndex<T extends { id: string }>(list: T[], all: T[], id: string): number {
  const i = list.findIndex((x) => x.id === id);
  if (i >= 0) return i;
  if (all.some((x) => x.id === id)) return list.length; // filtered out: nothing on that side
  throw new ApiError(404, 'NOT_FOUND', 'The requested resource could not be found.');
}
