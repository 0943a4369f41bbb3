import { describe, expect, it } from 'vitest';
import { estimateDelivery, ruleDay, type EstimateInput } from '../../../src/server/tracking/estimate-delivery.ts';

// Placed Friday 2026-11-20; 2 processing + 5 transit business days.
const base: EstimateInput = {
  deliveredDay: null,
  promisedDate: null,
  carrierDay: null,
  shippedDay: null,
  placedDay: '2026-11-20',
  processingDays: 2,
  transitDays: 5,
  today: '2026-11-21',
  exception: false,
};
const input = (over: Partial<EstimateInput>): EstimateInput => ({ ...base, ...over });

describe('ruleDay', () => {
  it('counts processing then transit in business days, skipping weekends', () => {
    // Fri 20 + 2 business days = Tue 24; + 5 = Tue Dec 1.
    expect(ruleDay(base)).toBe('2026-12-01');
  });

  it('starts from the day it shipped once it has', () => {
    // Shipped Friday 27: + 5 business days = Friday Dec 4.
    expect(ruleDay({ ...base, shippedDay: '2026-11-27' })).toBe('2026-12-04');
    expect(ruleDay({ ...base, shippedDay: '2026-11-27', transitDays: 1 })).toBe('2026-11-30');
  });
});

describe('estimateDelivery', () => {
  it('prefers the store’s promised date', () => {
    expect(estimateDelivery(input({ promisedDate: '2026-11-25', carrierDay: '2026-11-26' }))).toEqual({
      kind: 'expected',
      date: '2026-11-25',
      source: 'store',
      revised: false,
      originalDate: '2026-11-25',
    });
  });

  it('uses the carrier’s date when the store promised none', () => {
    expect(estimateDelivery(input({ carrierDay: '2026-11-26' }))).toEqual({
      kind: 'expected',
      date: '2026-11-26',
      source: 'carrier',
      revised: false,
      originalDate: '2026-11-26',
    });
  });

  it('falls back to the store’s rule', () => {
    expect(estimateDelivery(base)).toEqual({
      kind: 'expected',
      date: '2026-12-01',
      source: 'rule',
      revised: false,
      originalDate: '2026-12-01',
    });
  });

  it('still counts today as expected on the day itself', () => {
    expect(estimateDelivery(input({ promisedDate: '2026-11-25', today: '2026-11-25' }))).toMatchObject({
      kind: 'expected',
      date: '2026-11-25',
      revised: false,
    });
  });

  it('revises to the carrier’s date when the promised date has passed', () => {
    expect(estimateDelivery(input({ promisedDate: '2026-11-25', carrierDay: '2026-11-27', today: '2026-11-26' }))).toEqual({
      kind: 'expected',
      date: '2026-11-27',
      source: 'carrier',
      revised: true,
      originalDate: '2026-11-25',
    });
  });

  it('revises to the rule when both the promised and the carrier’s dates have passed', () => {
    expect(estimateDelivery(input({ promisedDate: '2026-11-24', carrierDay: '2026-11-25', today: '2026-11-26' }))).toEqual({
      kind: 'expected',
      date: '2026-12-01',
      source: 'rule',
      revised: true,
      originalDate: '2026-11-24',
    });
  });

  it('says it is checking once every date has passed', () => {
    expect(estimateDelivery(input({ promisedDate: '2026-11-24', carrierDay: '2026-11-25', today: '2026-12-02' }))).toEqual({
      kind: 'checking',
      originalDate: '2026-11-24',
    });
    expect(estimateDelivery(input({ today: '2026-12-02' }))).toEqual({ kind: 'checking', originalDate: '2026-12-01' });
  });

  it('gives the delivery day once delivered, even when an exception was raised before', () => {
    expect(estimateDelivery(input({ deliveredDay: '2026-11-27', promisedDate: '2026-11-25', today: '2026-12-10' }))).toEqual({
      kind: 'delivered',
      date: '2026-11-27',
    });
    expect(estimateDelivery(input({ deliveredDay: '2026-11-27', exception: true }))).toEqual({ kind: 'delivered', date: '2026-11-27' });
  });

  it('gives no date for a parcel in an exception', () => {
    expect(estimateDelivery(input({ promisedDate: '2026-11-25', exception: true }))).toEqual({ kind: 'none' });
  });
});
