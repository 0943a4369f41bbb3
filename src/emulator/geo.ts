// Places for generated journeys. Carriers report city names in upper case (see the recorded trackers).
import type { Place } from './types.ts';
import { randInt } from './ids.ts';

// [city, state, zip, longitude]; longitude orders the hubs along the way.
type City = readonly [string, string, string, number];
const CITIES: ReadonlyArray<City> = [
  ['HOUSTON', 'TX', '77063', -95.4],
  ['CHARLESTON', 'SC', '29407', -80.0],
  ['SAN FRANCISCO', 'CA', '94107', -122.4],
  ['PORTLAND', 'OR', '97208', -122.7],
  ['DENVER', 'CO', '80202', -105.0],
  ['CHICAGO', 'IL', '60607', -87.7],
  ['BROOKLYN', 'NY', '11201', -73.9],
  ['BOSTON', 'MA', '02118', -71.1],
  ['ATLANTA', 'GA', '30303', -84.4],
  ['MIAMI', 'FL', '33101', -80.2],
  ['SEATTLE', 'WA', '98101', -122.3],
  ['AUSTIN', 'TX', '78701', -97.7],
  ['MINNEAPOLIS', 'MN', '55401', -93.3],
  ['PHOENIX', 'AZ', '85004', -112.1],
  ['NASHVILLE', 'TN', '37203', -86.8],
  ['SALT LAKE CITY', 'UT', '84101', -111.9],
];

// Regional sorting hubs a parcel passes through between origin and destination.
const HUBS: ReadonlyArray<City> = [
  ['SACRAMENTO', 'CA', '95813', -121.5],
  ['RENO', 'NV', '89510', -119.8],
  ['SALT LAKE CITY', 'UT', '84199', -111.9],
  ['ALBUQUERQUE', 'NM', '87101', -106.6],
  ['DENVER', 'CO', '80266', -104.9],
  ['DALLAS', 'TX', '75260', -96.8],
  ['KANSAS CITY', 'MO', '64121', -94.6],
  ['MEMPHIS', 'TN', '38118', -90.0],
  ['INDIANAPOLIS', 'IN', '46241', -86.2],
  ['LOUISVILLE', 'KY', '40209', -85.8],
  ['COLUMBUS', 'OH', '43216', -83.0],
  ['JACKSONVILLE', 'FL', '32203', -81.7],
  ['HARRISBURG', 'PA', '17107', -76.9],
];

const toPlace = (c: City): Place => ({ city: c[0], state: c[1], zip: c[2], country: 'US' });
const lonOf = (p: Place): number | undefined => [...CITIES, ...HUBS].find((c) => c[0] === p.city)?.[3];

/** A TrackingLocation-like place. */
export function place(city: string | null, state: string | null, zip: string | null, country: string | null = 'US'): Place {
  return { city, state, zip, country };
}

/** The empty location EasyPost reports for details that have no place. */
export const NOWHERE: Place = { city: null, state: null, zip: null, country: null };

/** A deterministic origin and destination for a journey. */
export function pickRoute(rand: () => number): { origin: Place; destination: Place } {
  const o = randInt(rand, 0, CITIES.length - 1);
  let d = randInt(rand, 0, CITIES.length - 2);
  if (d >= o) d += 1; // never ship to the origin city
  return { origin: toPlace(CITIES[o]!), destination: toPlace(CITIES[d]!) };
}

/** 1–3 hubs lying between origin and destination (by longitude), in the order a parcel meets them. */
export function pickHubs(rand: () => number, origin: Place, destination: Place): Place[] {
  const count = randInt(rand, 1, 3);
  const from = lonOf(origin);
  const to = lonOf(destination);
  if (from === undefined || to === undefined) {
    const start = randInt(rand, 0, HUBS.length - 1); // unknown places (shipment addresses): any hubs
    return Array.from({ length: count }, (_, i) => toPlace(HUBS[(start + i * 4) % HUBS.length]!));
  }
  const lo = Math.min(from, to);
  const hi = Math.max(from, to);
  let between = HUBS.filter((h) => h[3] >= lo && h[3] <= hi && h[0] !== origin.city && h[0] !== destination.city);
  if (between.length === 0)
    between = [...HUBS].sort((a, b) => Math.abs(a[3] - (from + to) / 2) - Math.abs(b[3] - (from + to) / 2)).slice(0, 1);
  const chosen = between.filter(() => rand() < 0.6).slice(0, count);
  const hubs = chosen.length ? chosen : [between[randInt(rand, 0, between.length - 1)]!];
  hubs.sort((a, b) => (from <= to ? a[3] - b[3] : b[3] - a[3]));
  return hubs.map(toPlace);
}

/** A place from a shipment's address object, upper-cased like carrier scans. */
export function placeFromAddress(addr: Record<string, unknown> | null | undefined): Place | null {
  if (!addr || typeof addr.city !== 'string') return null;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return place(addr.city.toUpperCase(), str(addr.state)?.toUpperCase() ?? null, str(addr.zip), str(addr.country) ?? 'US');
}

/** carrier_detail's "HOUSTON TX, 77063" style label. */
export function placeLabel(p: Place | null): string | null {
  if (!p || !p.city) return null;
  return `${p.city} ${p.state ?? ''}${p.zip ? `, ${p.zip}` : ''}`.replace(' ,', ',');
}
