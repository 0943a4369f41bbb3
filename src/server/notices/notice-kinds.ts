// The delays and exceptions a shopper is told about, and which carrier signals mean which.
import type { CaseKind } from '../cases/open-case.ts';
import type { ShipmentStatus } from '../tracking/statuses.ts';

export type NoticeKind = 'late' | 'stalled' | 'not_scanned' | 'exception' | 'delayed_dispatch';

/** Carrier status details that are a problem even while the status says "in transit". */
const DETAIL_EXCEPTIONS: Record<string, CaseKind | null> = {
  address_not_found: 'delivery_failed',
  address_correction: null,
  delivery_exception: 'delivery_failed',
  attempted_delivery: null,
  damaged: 'damaged',
  lost: 'lost',
  return_to_sender: 'return_to_sender',
  cancelled: null,
};

export interface ExceptionSignal {
  /** "<status>/<detail>", shown to staff and used to word the notice. */
  reason: string;
  /** The case to open when a person must act; null when telling the shopper is enough. */
  caseKind: CaseKind | null;
}

/** The exception a carrier status implies, or null for ordinary progress. */
export function exceptionFor(status: ShipmentStatus, detail: string | null): ExceptionSignal | null {
  const reason = `${status}/${detail ?? 'unknown'}`;
  if (detail === 'lost') return { reason, caseKind: 'lost' };
  if (detail === 'damaged') return { reason, caseKind: 'damaged' };
  switch (status) {
    case 'return_to_sender':
      return { reason, caseKind: 'return_to_sender' };
    case 'failure':
      return { reason, caseKind: 'delivery_failed' };
    case 'available_for_pickup':
      return { reason, caseKind: null };
    case 'error':
      return { reason, caseKind: null };
    case 'cancelled':
      return { reason, caseKind: null };
    default:
      break;
  }
  if (detail && Object.hasOwn(DETAIL_EXCEPTIONS, detail)) return { reason, caseKind: DETAIL_EXCEPTIONS[detail] ?? null };
  return null;
}
