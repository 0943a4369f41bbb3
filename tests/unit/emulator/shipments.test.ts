// Shipments (return labels): create with rates → buy → second buy refused → label formats → refund.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Emulator } from '../../../src/emulator/index.ts';
import { clientFor, emulatorWithClock, errorOf } from './helpers.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/easypost', import.meta.url));
const fixture = (name: string) => JSON.parse(readFileSync(`${FIXTURES}/${name}`, 'utf8'));
const open: Emulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});
async function setup(opts: Parameters<typeof emulatorWithClock>[0] = {}) {
  const r = await emulatorWithClock(opts);
  open.push(r.emu);
  return { ...r, client: clientFor(r.emu, 'key_ship') };
}
const recorded = fixture('shipment-create-with-rates.json');
const params = (isReturn = false) => ({
  to_address: { name: 'Dr. Steve Brule', street1: '179 N Harbor Dr', city: 'Redondo Beach', state: 'CA', zip: '90277', country: 'US' },
  from_address: { name: 'EasyPost', street1: '417 Montgomery Street', city: 'San Francisco', state: 'CA', zip: '94104', country: 'US' },
  parcel: { length: 20.2, width: 10.9, height: 5, weight: 65.9 },
  is_return: isReturn,
});
const keysOf = (o: object) => Object.keys(o).filter((k) => k !== '_params');

describe('shipments', () => {
  it('creates a shipment with three USPS rates, shaped like the recording', async () => {
    const { client } = await setup();
    const s = await client.Shipment.create(params());
    expect(s.id).toMatch(/^shp_/);
    expect(keysOf(s)).toEqual(Object.keys(recorded));
    expect([s.status, s.tracking_code, s.postage_label, s.selected_rate, s.tracker]).toEqual(['unknown', null, null, null, null]);
    expect(s.rates.map((r) => [r.carrier, r.service, r.rate])).toEqual(recorded.rates.map((r: any) => ['USPS', r.service, r.rate]));
    expect(keysOf(s.rates[0]!)).toEqual(Object.keys(recorded.rates[0]));
    expect(s.rates.every((r) => r.id.startsWith('rate_') && r.shipment_id === s.id)).toBe(true);
    expect(keysOf(s.to_address)).toEqual(Object.keys(recorded.to_address));
    expect(s.return_address?.id).toBe(s.from_address.id);
  });

  it('refuses an empty shipment exactly like error-422-parameter-required.json', async () => {
    const { emu } = await setup();
    const res = await fetch(`${emu.baseUrl}shipments`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from('key_ship:').toString('base64')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ shipment: {} }),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual(fixture('error-422-parameter-required.json'));
  });

  it('buys once, refuses a second buy, converts the label, serves label files and refunds', async () => {
    const { emu, client } = await setup();
    const s = await client.Shipment.create(params());
    const lowest = client.Utils.getLowestRate(s.rates);
    const bought = await client.Shipment.buy(s.id, lowest);
    expect(bought.tracking_code).toMatch(/^9400100\d{15}$/);
    expect(bought.selected_rate.id).toBe(lowest.id);
    expect(bought.postage_label.id).toMatch(/^pl_/);
    expect(bought.postage_label.label_url).toBe(`${emu.url}/labels/${bought.postage_label.id}.png`);
    expect(bought.postage_label.label_pdf_url).toBeNull();
    expect(bought.fees).toHaveLength(1);
    expect(bought.fees[0]).toMatchObject({ object: 'Fee', type: 'PostageFee', amount: '8.20000', charged: true, refunded: false });
    expect(keysOf(bought.postage_label)).toEqual(Object.keys(fixture('shipment-buy.json').postage_label));
    // Like shipment-buy.json: the embedded tracker has no scans yet.
    expect([bought.tracker.status, bought.tracker.tracking_details, bought.tracker.shipment_id]).toEqual(['unknown', [], s.id]);

    const again = await errorOf(client.Shipment.buy(s.id, lowest));
    expect([again.statusCode, again.code]).toEqual([422, 'SHIPMENT.POSTAGE.EXISTS']);
    expect(emu.calls.filter((c) => c.method === 'POST' && /\/buy$/.test(c.path))).toHaveLength(2);

    const png = Buffer.from(await (await fetch(bought.postage_label.label_url)).arrayBuffer());
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const pdfShipment = await client.Shipment.convertLabelFormat(s.id, 'PDF');
    expect(pdfShipment.postage_label.label_pdf_url).toBe(`${emu.url}/labels/${bought.postage_label.id}.pdf`);
    const pdfRes = await fetch(pdfShipment.postage_label.label_pdf_url);
    expect(pdfRes.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await pdfRes.arrayBuffer()).toString('latin1');
    expect(pdf.startsWith('%PDF-1.4')).toBe(true);
    expect(pdf).toContain(bought.tracking_code);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    const zpl = await client.Shipment.convertLabelFormat(s.id, 'ZPL');
    expect(zpl.postage_label.label_zpl_url).toMatch(/\.zpl$/);
    expect(zpl.postage_label.label_pdf_url).not.toBeNull(); // earlier conversions stay

    const refunded = await client.Shipment.refund(s.id);
    expect(refunded.refund_status).toBe('submitted');
    expect((await client.Shipment.retrieve(s.id)).refund_status).toBe('submitted');
  });

  it('gives the bought label a tracker that moves; a return label travels back to the from_address', async () => {
    const { emu, clock, client } = await setup();
    const s = await client.Shipment.create(params(true));
    const bought = await client.Shipment.buy(s.id, s.rates[2]!);
    expect(bought.is_return).toBe(true);
    clock.advance(10 * 86_400_000);
    await emu.tick();
    const t = await client.Tracker.retrieve(bought.tracker.id);
    expect(t.status).toBe('delivered');
    expect(t.tracking_details[0]!.tracking_location.city).toBe('REDONDO BEACH');
    expect(t.tracking_details.at(-1)!.tracking_location.city).toBe('SAN FRANCISCO');
    expect(t.fees).toEqual([]); // label trackers come with the postage
    expect((await client.Shipment.retrieve(s.id)).status).toBe('delivered');
  });

  it('in test mode a label’s tracker reaches delivered one status a minute', async () => {
    const { emu, clock, client } = await setup({ testMode: true });
    const s = await client.Shipment.create(params());
    const bought = await client.Shipment.buy(s.id, s.rates[0]!.id);
    clock.advance(4 * 60_000);
    await emu.tick();
    const t = await client.Tracker.retrieve(bought.tracker.id);
    expect([t.status, t.signed_by, t.tracking_details.length]).toEqual(['delivered', 'John Tester', 8]);
  });

  it('keeps shipments per key and rejects unknown rates', async () => {
    const { emu, client } = await setup();
    const s = await client.Shipment.create(params());
    expect((await errorOf(clientFor(emu, 'key_other').Shipment.retrieve(s.id))).statusCode).toBe(404);
    const bad = await errorOf(client.Shipment.buy(s.id, 'rate_nope'));
    expect([bad.statusCode, bad.code]).toEqual([422, 'SHIPMENT.RATE.INVALID']);
    const notBought = await errorOf(client.Shipment.refund(s.id));
    expect(notBought.statusCode).toBe(422);
  });
});
