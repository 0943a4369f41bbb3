// Label files the emulator serves at /labels/<pl_id>.<ext>: small but valid PNG, PDF and ZPL documents,
// so a portal can show or download "the label" without EasyPost's S3.

// A 200×300 (4×6 proportions) 1-bit PNG of a mock label with a barcode.
const LABEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAMgAAAEsAQAAAACugcETAAAAhklEQVR42u3Yuw2AIBSFYRITLW210VGchUbGsGMHt3EUbZgBG1+NiQkmFhSA/2m/7p5wc4MQXtPu7lgkdJmchWbehVmHLdujsfgl7X6uRxW3JNxPmYKwExEEuTdFVWs197kyctVytE2xGGkHBEEQBEF+LNxICPLy63GmC0ToB0EQBPkkXnMAGp8q/5KMRzkAAAAASUVORK5CYII=',
  'base64',
);

/** The PNG label image. */
export function labelPng(): Buffer {
  return LABEL_PNG;
}

/** A one-page 4×6 in PDF showing the tracking code, with a correct xref table. */
export function labelPdf(trackingCode: string): Buffer {
  const safe = trackingCode.replace(/[^A-Za-z0-9 _-]/g, '');
  const stream = `BT /F1 18 Tf 24 380 Td (WAYPOST EMULATOR LABEL) Tj 0 -40 Td (${safe}) Tj ET\n`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 432] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(stream)} >>\nstream\n${stream}endstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xrefAt = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A ZPL label printing the tracking code as a Code 128 barcode. */
export function labelZpl(trackingCode: string): Buffer {
  return Buffer.from(`^XA^CF0,40^FO50,50^FDWAYPOST EMULATOR^FS^FO50,150^BCN,120,Y,N,N^FD${trackingCode}^FS^XZ\n`);
}

/** An EPL2 label printing the tracking code as a barcode. */
export function labelEpl2(trackingCode: string): Buffer {
  return Buffer.from(`N\nA50,50,0,4,1,1,N,"WAYPOST EMULATOR"\nB50,150,0,1,2,6,120,B,"${trackingCode}"\nP1\n`);
}

/** The content type of each label format served. */
export const LABEL_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  pdf: 'application/pdf',
  zpl: 'application/zpl',
  epl2: 'application/epl2',
};
