import { describe, expect, it } from 'vitest';
import { translator } from '../../../src/server/i18n/translator.ts';
import { describeEstimate } from '../../../src/server/tracking/describe-estimate.ts';

const en = (locale: string) => translator('en', { orderLocale: locale });
const de = translator('de', { orderLocale: 'de-DE' });

// 2026-11-26 is a Thursday, 2026-11-25 a Wednesday.
describe('describeEstimate', () => {
  it('words an expected date in en-US and en-GB', () => {
    const e = { kind: 'expected', date: '2026-11-26', source: 'store', revised: false, originalDate: '2026-11-26' } as const;
    expect(describeEstimate(e, en('en-US'))).toEqual({ lead: 'Arriving', date: 'Thursday, November 26', note: null });
    expect(describeEstimate(e, en('en-GB'))).toEqual({ lead: 'Arriving', date: 'Thursday 26 November', note: null });
  });

  it('tells the shopper a revised date and what was expected before', () => {
    const e = { kind: 'expected', date: '2026-11-26', source: 'carrier', revised: true, originalDate: '2026-11-25' } as const;
    expect(describeEstimate(e, en('en-US'))).toEqual({
      lead: 'New estimate:',
      date: 'Thursday, November 26',
      note: 'It was expected Wednesday, November 25.',
    });
    expect(describeEstimate(e, en('en-GB'))).toEqual({
      lead: 'New estimate:',
      date: 'Thursday 26 November',
      note: 'It was expected Wednesday 25 November.',
    });
  });

  it('says it is checking when every date has passed', () => {
    expect(describeEstimate({ kind: 'checking', originalDate: '2026-11-25' }, en('en-GB'))).toEqual({
      lead: 'Running late',
      date: null,
      note: 'It was expected Wednesday 25 November and has not arrived yet. We are checking with the carrier and will update this page.',
    });
  });

  it('words a delivery', () => {
    expect(describeEstimate({ kind: 'delivered', date: '2026-11-26' }, en('en-US'))).toEqual({
      lead: 'Delivered on',
      date: 'Thursday, November 26',
      note: null,
    });
  });

  it('words it in the shopper’s language, the date in its locale', () => {
    const e = { kind: 'expected', date: '2026-12-08', source: 'carrier', revised: false, originalDate: '2026-12-08' } as const;
    expect(describeEstimate(e, de)).toEqual({ lead: 'Voraussichtliche Zustellung:', date: 'Dienstag, 8. Dezember', note: null });
  });

  it('says nothing when there is no estimate', () => {
    expect(describeEstimate({ kind: 'none' }, en('en-US'))).toEqual({ lead: '', date: null, note: null });
  });
});
