// Public entry point of the EasyPost emulator.
export { startEmulator } from './server.ts';
export { signBody } from './webhooks.ts';
export { toEasyPostJson } from './json.ts';
export { TEST_CODES } from './testcodes.ts';
export { PREFIXES } from './journey.ts';
export type { CallRecord, DeliveryRecord, Emulator, EmulatorOptions, Fault, ScenarioStep, TrackerStatus } from './types.ts';
