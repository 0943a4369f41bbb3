// The emulator's return-label parts: the USPS Label Broker QR code as EasyPost's `label_qr_code`
// form, served without a key; refused before purchase; asking twice gives one form.
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator/index.ts';
import { clientFor, emulatorWithClock } from '../emulator/helpers.ts';

const open: Emulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

const params = {
  to_address: { name: 'Ann Lee', street1: '1 Main St', city: 'Portland', state: 'OR', zip: '97201', country: 'US' },
  from_address: { name: 'Returns', street1: '500 Warehouse Way', city: 'Reno', state: 'NV', zip: '89501', country: 'US' },
  parcel: { weight: 16 },
  is_return: true,
};

describe('label QR code forms', () => {
  it('adds one label_qr_code form to a bought USPS shipment and serves its PNG', async () => {
    const { emu } = await emulatorWithClock({});
    open.push(emu);
    const client = clientFor(emu, 'key_forms');
    const s = await client.Shipment.create(params as never);
    await expect(client.Shipment.generateForm(s.id, 'label_qr_code')).rejects.toMatchObject({ statusCode: 422 });
    await client.Shipment.buy(s.id, s.rates[0]!.id);
    const once = await client.Shipment.generateForm(s.id, 'label_qr_code');
    const twice = await client.Shipment.generateForm(s.id, 'label_qr_code');
    const forms = (twice as unknown as { forms: { form_type: string; form_url: string }[] }).forms;
    expect(forms).toHaveLength(1);
    expect((once as unknown as { forms: unknown[] }).forms).toEqual(forms);
    expect(forms[0]!.form_type).toBe('label_qr_code');
    const png = await fetch(forms[0]!.form_url);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect((await fetch(`${emu.url}/forms/form_0000.png`)).status).toBe(404);
    await expect(client.Shipment.generateForm(s.id, 'commercial_invoice')).rejects.toMatchObject({ statusCode: 422 });
  });
});
