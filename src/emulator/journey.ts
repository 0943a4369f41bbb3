// Generated journeys for ordinary tracking codes: deterministic from the code (a hash seeds every
// choice), spread over days of scenario time, with variants chosen by prefix so a demo can show every state.
import type { DetailSpec, Place, Plan, PlanStep, TrackerStatus } from './types.ts';
import { DAY, HOUR } from './clock.ts';
import { hashSeed, randInt, seededRandom } from './ids.ts';
import { pickHubs, pickRoute, placeLabel } from './geo.ts';
import { SCAN_STATUS, serviceName, wording, type Scan } from './carriers.ts';

/** Scenario prefixes (upper case) and what they do; documented in README.md. */
const PREFIXES = ['WPDELAY', 'WPLATE', 'WPLOST', 'WPFAIL', 'WPRTS', 'WPPICKUP', 'WPNOINFO'] as const;
type Variant = (typeof PREFIXES)[number] | 'normal';

/** Which variant a tracking code asks for. */
function variantOf(trackingCode: string): Variant {
  const code = trackingCode.toUpperCase();
  return PREFIXES.find((p) => code.startsWith(p)) ?? 'normal';
}

export interface JourneyInput {
  trackingCode: string;
  carrier: string;
  route?: { origin: Place | null; destination: Place | null }; // from a shipment's addresses
}

/** The plan of an ordinary tracking code. */
export function journeyPlan(input: JourneyInput): Plan {
  const rand = seededRandom(hashSeed(input.trackingCode));
  const picked = pickRoute(rand);
  const origin = input.route?.origin ?? picked.origin;
  const destination = input.route?.destination ?? picked.destination;
  const words = wording(input.carrier);
  const variant = variantOf(input.trackingCode);

  const steps: PlanStep[] = [];
  let t = 0;
  const add = (scan: Scan, where: Place, extra: Partial<PlanStep> = {}): PlanStep => {
    const [message, carrierCode] = words[scan];
    const [status, statusDetail] = SCAN_STATUS[scan];
    const detail: DetailSpec = {
      status: status as TrackerStatus,
      statusDetail,
      message,
      // USPS leaves description empty (recorded fixtures); FedEx repeats the message.
      description: input.carrier === 'USPS' ? '' : message,
      place: where,
      carrierCode,
    };
    const step: PlanStep = { atMs: t, details: [detail], ...extra };
    steps.push(step);
    return step;
  };
  const wait = (minH: number, maxH: number) => {
    t += randInt(rand, minH * 60, maxH * 60) * 60_000;
  };
  const weight = randInt(rand, 8, 80); // ounces, as carriers report it
  const slackMs = randInt(rand, 2, 12) * HOUR; // estimate = delivery + slack, so most arrive "on time"
  const plan = (est: Plan['est']) => basePlan(input.carrier, origin, destination, weight, est, steps);

  if (variant === 'WPNOINFO') {
    // A code the carrier has never seen: status "unknown", no details, forever.
    return { ...plan(null), weight: null };
  }
  add('label', origin);
  wait(2, 6);
  add('accept', origin);
  wait(3, 6);
  add('departOrigin', origin);
  let weatherStep: PlanStep | undefined;
  for (const [i, hub] of pickHubs(rand, origin, destination).entries()) {
    wait(6, 12);
    add('arrive', hub);
    if (variant === 'WPDELAY' || variant === 'WPLOST') {
      // Stalls at the first hub: no more scans, and the (short) estimate goes by 10 h later.
      const estMs = t + 10 * HOUR;
      if (variant === 'WPLOST') {
        t = estMs + 3 * DAY;
        add('lost', hub);
      }
      return plan({ offsetMs: estMs });
    }
    wait(2, 5);
    add('depart', hub);
    if (variant === 'WPLATE' && i === 0) {
      wait(1, 3);
      weatherStep = add('weather', hub); // announces an estimate one day later (set below)
      t += DAY;
    }
  }
  wait(6, 12);
  add('arriveDest', destination);
  if (variant === 'WPPICKUP') {
    wait(2, 6);
    add('pickup', destination);
  } else {
    wait(6, 10);
    add('ofd', destination);
    wait(3, 7);
    if (variant === 'WPFAIL') add('fail', destination);
    else if (variant === 'WPRTS') {
      add('attempt', destination);
      t += DAY;
      add('rts', destination);
    } else if (rand() < 0.3) add('deliveredSigned', destination, { signedBy: 'J DOE' });
    else add('delivered', destination);
  }
  const estMs = t + slackMs;
  if (weatherStep) {
    weatherStep.est = { offsetMs: estMs };
    return plan({ offsetMs: estMs - DAY });
  }
  return plan({ offsetMs: estMs });
}

function basePlan(carrier: string, origin: Place, destination: Place, weight: number | null, est: Plan['est'], steps: PlanStep[]): Plan {
  return {
    kind: 'journey',
    carrier,
    service: serviceName(carrier),
    origin,
    destination,
    originLabel: placeLabel(origin),
    destinationLabel: placeLabel(destination),
    weight,
    est,
    steps,
  };
}
