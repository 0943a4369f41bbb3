// Links to the carrier's own tracking page, for shoppers who want the source.

const TEMPLATES: Record<string, (code: string) => string> = {
  USPS: (c) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${c}`,
  UPS: (c) => `https://www.ups.com/track?tracknum=${c}`,
  FEDEX: (c) => `https://www.fedex.com/fedextrack/?trknbr=${c}`,
  DHL: (c) => `https://www.dhl.com/global-en/home/tracking.html?tracking-id=${c}`,
  DHLEXPRESS: (c) => `https://www.dhl.com/global-en/home/tracking.html?tracking-id=${c}`,
  CANADAPOST: (c) => `https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor=${c}`,
  ROYALMAIL: (c) => `https://www.royalmail.com/track-your-item#/tracking-results/${c}`,
  AUSTRALIAPOST: (c) => `https://auspost.com.au/mypost/track/details/${c}`,
};

/** The carrier's tracking page for a code, or the tracker's public URL, or null. */
export function carrierTrackingUrl(carrier: string, trackingCode: string, publicUrl?: string | null): string | null {
  const t = TEMPLATES[carrier.replace(/[^a-z]/gi, '').toUpperCase()];
  if (t) return t(encodeURIComponent(trackingCode));
  return publicUrl && /^https:\/\//.test(publicUrl) ? publicUrl : null;
}

/** The carrier's name as shoppers know it. */
export function carrierName(carrier: string): string {
  const key = carrier.replace(/[^a-z]/gi, '').toUpperCase();
  const names: Record<string, string> = {
    FEDEX: 'FedEx',
    DHLEXPRESS: 'DHL Express',
    CANADAPOST: 'Canada Post',
    ROYALMAIL: 'Royal Mail',
    AUSTRALIAPOST: 'Australia Post',
  };
  return names[key] ?? carrier;
}
