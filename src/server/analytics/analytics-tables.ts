// The report as tables: the page shows each one (the data behind every chart, for screen readers
// and anyone who prefers numbers) and `?format=csv&table=<id>` exports the same rows.
import { AppError } from '../errors.ts';
import type { DeliveryFigures } from './delivery-figures.ts';
import type { AnalyticsReport } from './get-analytics.ts';

type Cell = string | number | null;

/** One table of the report. */
export interface AnalyticsTable {
  id: string;
  title: string;
  formula: string;
  columns: string[];
  rows: Cell[][];
}

const FIGURE_COLUMNS = [
  'Parcels',
  'On time %',
  'Transit p50 (days)',
  'Transit p90 (days)',
  'First attempt %',
  'Told late %',
  'Exception %',
  'No first scan',
];
const PREVIOUS_COLUMNS = ['Previous parcels', 'Previous on time %', 'Previous transit p50', 'Previous transit p90'];

function figureCells(f: DeliveryFigures): Cell[] {
  return [
    f.parcels,
    f.onTimePercent,
    f.transitDays.p50,
    f.transitDays.p90,
    f.firstAttemptPercent,
    f.toldLatePercent,
    f.exceptionPercent,
    f.transitDays.withoutFirstScan,
  ];
}
function previousCells(f: DeliveryFigures): Cell[] {
  return [f.parcels, f.onTimePercent, f.transitDays.p50, f.transitDays.p90];
}

function checkinCells(c: AnalyticsReport['checkIns']['previous']): Cell[] {
  return [c.asked, c.allGood, c.problem, c.unanswered, c.problemPercent];
}

function messageCells(t: AnalyticsReport['messages']['totals']): Cell[] {
  return [t.sent, t.failed, t.suppressed, t.clicks, t.clickedMessages, t.clickPercent, t.unsubscribed];
}

/** Every table of the report, in the order the page shows them. */
export function analyticsTables(r: AnalyticsReport): AnalyticsTable[] {
  const d = r.delivery;
  const deliveryFormula = `${d.formula.onTimePercent}. Transit: ${d.formula.transitDays}`;
  return [
    {
      id: 'delivery-overall',
      title: 'Delivery performance',
      formula: deliveryFormula,
      columns: ['Period', ...FIGURE_COLUMNS],
      rows: [
        [`${r.from} to ${r.to}`, ...figureCells(d.overall)],
        [`${r.previous.from} to ${r.previous.to}`, ...figureCells(d.overall.previous)],
      ],
    },
    {
      id: 'delivery-carriers',
      title: 'By carrier',
      formula: deliveryFormula,
      columns: ['Carrier', ...FIGURE_COLUMNS, ...PREVIOUS_COLUMNS],
      rows: d.carriers.map((c) => [c.carrier, ...figureCells(c), ...previousCells(c.previous)]),
    },
    {
      id: 'delivery-services',
      title: 'By service',
      formula: deliveryFormula,
      columns: ['Carrier', 'Service', ...FIGURE_COLUMNS, ...PREVIOUS_COLUMNS],
      rows: d.services.map((c) => [c.carrier, c.service || '(none)', ...figureCells(c), ...previousCells(c.previous)]),
    },
    {
      id: 'delivery-countries',
      title: 'By destination',
      formula: deliveryFormula,
      columns: ['Country', ...FIGURE_COLUMNS, ...PREVIOUS_COLUMNS],
      rows: d.countries.map((c) => [c.country || '(unknown)', ...figureCells(c), ...previousCells(c.previous)]),
    },
    {
      id: 'delivery-daily',
      title: 'Deliveries by day',
      formula: d.formula.parcels,
      columns: ['Day', 'Parcels', 'On time %'],
      rows: d.daily.map((x) => [x.day, x.parcels, x.onTimePercent]),
    },
    {
      id: 'transit-days',
      title: 'Transit days',
      formula: d.formula.transitDays,
      columns: ['Transit days', 'Parcels'],
      rows: d.transitHistogram.map((x) => [x.days, x.parcels]),
    },
    {
      id: 'notices',
      title: 'Delays and exceptions',
      formula: r.exceptions.formula.notices,
      columns: ['Kind', 'Reason', 'Carrier', 'Parcels'],
      rows: r.exceptions.notices.map((n) => [n.kind, n.reason ?? '', n.carrier, n.parcels]),
    },
    {
      id: 'cases',
      title: 'Case resolution',
      formula: r.exceptions.formula.cases,
      columns: ['Kind', 'Opened', 'Resolved', 'Hours to resolve p50', 'Hours to resolve p90'],
      rows: r.exceptions.cases.map((c) => [c.kind, c.opened, c.resolved, c.hoursToResolve.p50, c.hoursToResolve.p90]),
    },
    {
      id: 'deflection',
      title: '“Where is my order?” deflection',
      formula: r.deflection.formula,
      columns: ['Period', 'Visits', 'Visited orders', 'Contacted within 48 h', 'Deflection %'],
      rows: [
        [
          `${r.from} to ${r.to}`,
          r.deflection.visits,
          r.deflection.visitedOrders,
          r.deflection.contactedOrders,
          r.deflection.deflectionPercent,
        ],
        [
          `${r.previous.from} to ${r.previous.to}`,
          r.deflection.previous.visits,
          r.deflection.previous.visitedOrders,
          r.deflection.previous.contactedOrders,
          r.deflection.previous.deflectionPercent,
        ],
      ],
    },
    {
      id: 'check-ins',
      title: 'Check-ins',
      formula: `${r.checkIns.formula.checkIns}. Problem %: ${r.checkIns.formula.problemPercent}`,
      columns: ['Period', 'Asked', 'All good', 'Problem', 'Unanswered', 'Problem %'],
      rows: [
        [`${r.from} to ${r.to}`, ...checkinCells(r.checkIns)],
        [`${r.previous.from} to ${r.previous.to}`, ...checkinCells(r.checkIns.previous)],
      ],
    },
    {
      id: 'after-delivery',
      title: 'Warranty registrations and after-delivery messages',
      formula: `${r.warranty.formula}. ${r.warranty.formulaRegisteredParcelPercent}. Messages: ${r.afterDeliveryMessages.formula}`,
      columns: [
        'Period',
        'Warranty registrations',
        'With reminders',
        'Registered parcels',
        'Registered parcels %',
        'Follow-ups sent',
        'Replenishment reminders sent',
      ],
      rows: [
        [
          `${r.from} to ${r.to}`,
          r.warranty.registrations,
          r.warranty.withReminders,
          r.warranty.registeredParcels,
          r.warranty.registeredParcelPercent,
          r.afterDeliveryMessages.followUp,
          r.afterDeliveryMessages.replenishment,
        ],
        [
          `${r.previous.from} to ${r.previous.to}`,
          r.warranty.previous.registrations,
          r.warranty.previous.withReminders,
          r.warranty.previous.registeredParcels,
          r.warranty.previous.registeredParcelPercent,
          r.afterDeliveryMessages.previous.followUp,
          r.afterDeliveryMessages.previous.replenishment,
        ],
      ],
    },
    {
      id: 'messages',
      title: 'Messages by channel and kind',
      formula: `${r.messages.formula.messages}. ${r.messages.formula.clicks}`,
      columns: [
        'Channel',
        'Kind',
        'Sent',
        'Failed',
        'Suppressed',
        'Clicks',
        'Clicked messages',
        'Clicked %',
        'Previous sent',
        'Previous clicks',
      ],
      rows: r.messages.channels.map((x) => [
        x.channel,
        x.kind,
        x.sent,
        x.failed,
        x.suppressed,
        x.clicks,
        x.clickedMessages,
        x.clickPercent,
        x.previous.sent,
        x.previous.clicks,
      ]),
    },
    {
      id: 'messages-overall',
      title: 'Messages',
      formula: `${r.messages.formula.messages}. ${r.messages.formula.clicks}. Unsubscribed: ${r.messages.formula.unsubscribed}`,
      columns: ['Period', 'Sent', 'Failed', 'Suppressed', 'Clicks', 'Clicked messages', 'Clicked %', 'Unsubscribed'],
      rows: [
        [`${r.from} to ${r.to}`, ...messageCells(r.messages.totals)],
        [`${r.previous.from} to ${r.previous.to}`, ...messageCells(r.messages.previous)],
      ],
    },
    {
      id: 'return-reasons',
      title: 'Returns by reason',
      formula: r.returns.formula,
      columns: ['Reason', 'Units', 'Returns'],
      rows: r.returns.byReason.map((x) => [x.reason, x.units, x.returns]),
    },
    {
      id: 'return-products',
      title: 'Returns by product',
      formula: `${r.returns.formula}. ${r.returns.formulaReturnRate}`,
      columns: ['Product', 'Product id', 'Units returned', 'Units delivered', 'Return rate %', 'Most common reason'],
      rows: r.returns.byProduct.map((x) => [x.title, x.productId, x.units, x.deliveredUnits, x.returnRatePercent, x.topReason]),
    },
    {
      id: 'ratings',
      title: 'Ratings by product',
      formula: r.ratings.formula,
      columns: ['Product', 'Product id', 'Reviews', 'Average stars', '5★', '4★', '3★', '2★', '1★'],
      rows: r.ratings.byProduct.map((x) => [
        x.title,
        x.productId,
        x.reviews,
        x.average,
        x.distribution['5'],
        x.distribution['4'],
        x.distribution['3'],
        x.distribution['2'],
        x.distribution['1'],
      ]),
    },
  ];
}

/** The ids `?table=` accepts. */
const TABLE_IDS = [
  'delivery-overall',
  'delivery-carriers',
  'delivery-services',
  'delivery-countries',
  'delivery-daily',
  'transit-days',
  'notices',
  'cases',
  'deflection',
  'check-ins',
  'after-delivery',
  'messages',
  'messages-overall',
  'return-reasons',
  'return-products',
  'ratings',
] as const;

/**
 * A table as CSV (RFC 4180: CRLF, fields quoted when needed). A text cell a spreadsheet would run
 * as a formula (starting with =, +, -, @, tab or CR) is prefixed with an apostrophe.
 */
export function tableToCsv(t: AnalyticsTable): string {
  const cell = (v: Cell): string => {
    if (v === null) return '';
    let s = String(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [t.columns, ...t.rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** The named table as a CSV download, or a 422 AppError naming the tables there are. */
export function exportAnalyticsTable(r: AnalyticsReport, tableId: string | null): { filename: string; csv: string } {
  const table = analyticsTables(r).find((t) => t.id === tableId);
  if (!table) throw new AppError('invalid', 'Name the table to export.', [{ pointer: '/table', detail: `one of ${TABLE_IDS.join(', ')}` }]);
  return { filename: `waypost-${table.id}-${r.from}-${r.to}.csv`, csv: tableToCsv(table) };
}
