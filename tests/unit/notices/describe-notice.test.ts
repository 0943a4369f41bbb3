import { describe, expect, it } from 'vitest';
import { describeNotice } from '../../../src/server/notices/describe-notice.ts';
import { translator } from '../../../src/server/i18n/translator.ts';
import { scanForDelays } from '../../../src/server/changes/deadlines-passed.ts';
import { getOrderByNumber } from '../../../src/server/orders/get-order-by-number.ts';
import type { NoticeView } from '../../../src/server/orders/load-order.ts';
import { NY, newOrder, world } from './helpers.ts';

const at = (iso: string) => Date.parse(iso);
const notice = (over: Partial<NoticeView>): NoticeView => ({
  kind: 'late',
  reason: null,
  revisedDate: null,
  needsPerson: false,
  openedAt: at('2026-11-27T05:00:00Z'),
  ...over,
});
const ctx = ({ locale = 'en-US', ...over }: Partial<Parameters<typeof describeNotice>[1]> & { locale?: string } = {}) => ({
  words: translator('en', { orderLocale: locale }),
  timeZone: NY,
  storeName: 'Trailhead',
  expectedDay: '2026-11-25',
  lastEventAt: null,
  now: at('2026-11-26T15:00:00Z'), // Thursday 10:00 EST
  ...over,
});
const CANNED = /sorry|apolog|regret|inconvenience|we promise|guarantee/i;

describe('describeNotice: late', () => {
  it('says a day late and gives the new estimate when there is one', () => {
    expect(describeNotice(notice({ revisedDate: '2026-11-30' }), ctx())).toEqual({
      tone: 'warn',
      title: 'Your parcel is running a day late',
      body: 'New estimate: Monday, November 30. It was expected Wednesday, November 25.',
    });
  });

  it('counts the days behind in the order’s zone', () => {
    // 2026-11-27T03:00Z is still Thursday 26th in New York, already Friday in UTC.
    expect(describeNotice(notice({}), ctx({ now: at('2026-11-27T03:00:00Z') })).title).toBe('Your parcel is running a day late');
    expect(describeNotice(notice({}), ctx({ now: at('2026-11-27T03:00:00Z'), timeZone: 'UTC' })).title).toBe(
      'Your parcel is running two days late',
    );
    expect(describeNotice(notice({}), ctx({ now: at('2026-11-28T15:00:00Z') })).title).toBe('Your parcel is running three days late');
    expect(describeNotice(notice({}), ctx({ now: at('2026-11-29T15:00:00Z') })).title).toBe('Your parcel is running late');
  });

  it('says we are checking, with the day it was expected, when there is no new estimate', () => {
    expect(describeNotice(notice({}), ctx({ now: at('2026-11-27T15:00:00Z') }))).toEqual({
      tone: 'warn',
      title: 'Your parcel is running two days late',
      body: 'It was expected Wednesday, November 25. We are checking with the carrier and will update this page as soon as we hear.',
    });
  });

  it('words the days in the shopper’s locale', () => {
    expect(describeNotice(notice({ revisedDate: '2026-11-30' }), ctx({ locale: 'en-GB' })).body).toBe(
      'New estimate: Monday 30 November. It was expected Wednesday 25 November.',
    );
  });

  it('without a first date: no count of days', () => {
    expect(describeNotice(notice({ revisedDate: '2026-11-30' }), ctx({ expectedDay: null }))).toEqual({
      tone: 'warn',
      title: 'Your parcel is running late',
      body: 'New estimate: Monday, November 30.',
    });
    expect(describeNotice(notice({}), ctx({ expectedDay: null })).body).toBe(
      'It was expected earlier. We are checking with the carrier and will update this page as soon as we hear.',
    );
  });
});

describe('describeNotice: quiet carriers and dispatch', () => {
  it('stalled: names the day of the last scan in the zone', () => {
    // 03:30Z on the 24th is Monday 23rd 22:30 in New York.
    const w = describeNotice(notice({ kind: 'stalled' }), ctx({ lastEventAt: at('2026-11-24T03:30:00Z') }));
    expect(w.tone).toBe('warn');
    expect(w.title).toBe('No news from the carrier for a while');
    expect(w.body).toMatch(/^The last scan was Monday, November 23\. /);
    expect(describeNotice(notice({ kind: 'stalled' }), ctx()).body).toMatch(/^The last scan was some days ago\. /);
  });

  it('not_scanned: says the store has been told', () => {
    const w = describeNotice(notice({ kind: 'not_scanned', openedAt: at('2026-11-24T15:00:00Z') }), ctx());
    expect(w.title).toBe('Waiting for the carrier to collect it');
    expect(w.body).toContain('Trailhead has been told and is following it up.');
  });

  it('delayed_dispatch: names the store', () => {
    expect(describeNotice(notice({ kind: 'delayed_dispatch' }), ctx())).toEqual({
      tone: 'warn',
      title: 'Taking longer than usual to ship',
      body: 'Trailhead has not sent these items yet. This page will show the parcel as soon as it leaves.',
    });
  });
});

describe('describeNotice: exceptions', () => {
  const person = 'A member of the Trailhead team will contact you about it. You do not need to do anything yet.';

  it.each([
    ['in_transit/lost', 'The carrier has reported the parcel lost'],
    ['failure/lost', 'The carrier has reported the parcel lost'],
    ['in_transit/damaged', 'The carrier has reported the parcel damaged'],
    ['return_to_sender/return_to_sender', 'The parcel is on its way back to the store'],
    ['return_to_sender/unknown', 'The parcel is on its way back to the store'],
    ['failure/address_not_found', 'The carrier could not find the delivery address'],
    ['failure/unknown', 'The carrier could not deliver the parcel'],
    ['in_transit/delivery_exception', 'There is a problem with this parcel'],
  ])('a person is needed for %s: "%s", a person will contact them, no canned apology', (reason, title) => {
    const w = describeNotice(notice({ kind: 'exception', reason, needsPerson: true }), ctx());
    expect(w).toEqual({ tone: 'bad', title, body: person });
    expect(`${w.title} ${w.body}`).not.toMatch(CANNED);
  });

  it.each([
    ['available_for_pickup/arrived_at_destination', 'info', 'Ready to collect'],
    ['error/unknown', 'warn', 'Tracking updates are unavailable'],
    ['cancelled/unknown', 'warn', 'This shipment was cancelled'],
    ['in_transit/address_correction', 'warn', 'The carrier reported a delay'],
    ['out_for_delivery/attempted_delivery', 'warn', 'The carrier reported a delay'],
  ])('no person needed for %s: %s "%s", and no promise of contact', (reason, tone, title) => {
    const w = describeNotice(notice({ kind: 'exception', reason, needsPerson: false }), ctx());
    expect(w.tone).toBe(tone);
    expect(w.title).toBe(title);
    expect(w.body).not.toContain('will contact you');
    expect(`${w.title} ${w.body}`).not.toMatch(CANNED);
  });

  it('an exception without a recorded reason still reads sensibly', () => {
    expect(describeNotice(notice({ kind: 'exception', reason: null, needsPerson: true }), ctx())).toEqual({
      tone: 'bad',
      title: 'There is a problem with this parcel',
      body: person,
    });
  });
});

describe('describeNotice on a real not_scanned notice', () => {
  it('gives the day the label was created, not the day the notice was opened', async () => {
    // The label is created Monday 2026-11-23 10:00 EST; 48 business hours later (Wednesday 25th
    // 10:00 EST) the scan tells the shopper the carrier has not collected it.
    const { store, clock } = await world('2026-11-23T15:00:00Z');
    const { body } = await newOrder(store, clock, { placedAt: '2026-11-23T14:00:00Z' });
    expect((await scanForDelays(at('2026-11-25T15:00:00Z'))).notScanned).toBe(1);
    clock.set('2026-11-25T16:00:00Z');
    const view = (await getOrderByNumber(store, String(body.number), clock))!;
    const [n] = view.shipments[0]!.notices;
    expect(n).toMatchObject({ kind: 'not_scanned', openedAt: at('2026-11-25T15:00:00Z') });
    const w = describeNotice(n!, ctx({ storeName: store.name, now: clock.now(), lastEventAt: view.shipments[0]!.lastEventAt }));
    expect(w.body).toContain('The label was created on Monday, November 23');
  });
});
