// Public entry point of the EasyPost emulator.
export { startEmulator } from './server.ts';
export { signBody } from './webhooks.ts';
export { toEasyPostJson } from './json.ts';
export type { Emulator, EmulatorOptions } from './types.ts';
