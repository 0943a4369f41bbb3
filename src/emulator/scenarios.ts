// Decides how a new tracker will move: a script, an EasyPost test code, a bought label, or a generated journey.
import type { Place, Plan, PlanStep, ScenarioStep } from './types.ts';
import { cannedPlan, invalidTestCodePlan, isTestCode, TEST_CODES } from './testcodes.ts';
import { journeyPlan } from './journey.ts';
import { serviceName } from './carriers.ts';
import { place } from './geo.ts';

export interface PlanContext {
  trackingCode: string;
  carrier: string;
  testMode: boolean;
  script?: ScenarioStep[]; // set with Emulator.script
  label?: { origin: Place | null; destination: Place | null }; // the tracker of a bought shipment
}

// A bought label's tracker has no scans for a moment (shipment-buy.json embeds it as "unknown" with no
// details; the label fixture a second later shows pre_transit).
const LABEL_FIRST_SCAN_MS = 1000;

/** The plan for a tracker about to be created. */
export function choosePlan(ctx: PlanContext): Plan {
  if (ctx.script) return scriptedPlan(ctx.carrier, ctx.script);
  const testStatus = TEST_CODES[ctx.trackingCode];
  if (isTestCode(ctx.trackingCode) && testStatus) return cannedPlan(testStatus, ctx.carrier);
  if (ctx.label) {
    // Test-mode labels move like EZ4000000004 (pre_transit → delivered, one status a minute).
    if (ctx.testMode) return cannedPlan('delivered', ctx.carrier, LABEL_FIRST_SCAN_MS);
    const plan = journeyPlan({ trackingCode: ctx.trackingCode, carrier: ctx.carrier, route: ctx.label });
    const first = plan.steps[0];
    if (first && first.atMs === 0) first.atMs = LABEL_FIRST_SCAN_MS;
    return plan;
  }
  if (ctx.testMode) return invalidTestCodePlan(ctx.carrier);
  return journeyPlan({ trackingCode: ctx.trackingCode, carrier: ctx.carrier });
}

/** Plan steps from a script, sorted by time. */
export function scriptToSteps(steps: ScenarioStep[]): PlanStep[] {
  return [...steps]
    .sort((a, b) => a.afterMs - b.afterMs)
    .map((s) => {
      const step: PlanStep = {
        atMs: s.afterMs,
        details: [
          {
            status: s.status,
            statusDetail: s.statusDetail,
            message: s.message,
            description: '',
            place: s.city ? place(s.city.toUpperCase(), s.state?.toUpperCase() ?? null, s.zip ?? null) : place(null, null, null, null),
            carrierCode: '',
          },
        ],
      };
      if (s.estDeliveryDate !== undefined) step.est = s.estDeliveryDate === null ? null : { iso: s.estDeliveryDate };
      if (s.signedBy !== undefined) step.signedBy = s.signedBy;
      return step;
    });
}

/** A plan made only of scripted steps; before its first step the tracker is "unknown" with no details. */
function scriptedPlan(carrier: string, steps: ScenarioStep[]): Plan {
  return {
    kind: 'scripted',
    carrier,
    service: serviceName(carrier),
    origin: null,
    destination: null,
    originLabel: null,
    destinationLabel: null,
    weight: null,
    est: null,
    steps: scriptToSteps(steps),
  };
}
