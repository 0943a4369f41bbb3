// Standalone run for the demo: node src/emulator/main.ts --port 4500 --speed 60 [--test-mode]
import { parseArgs } from 'node:util';
import { startEmulator } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4500' },
    speed: { type: 'string', default: '1' },
    'test-mode': { type: 'boolean', default: false },
  },
});

const port = Number(values.port);
const speed = Number(values.speed);
if (!Number.isInteger(port) || port < 0 || !(speed > 0)) {
  console.error('usage: node src/emulator/main.ts [--port 4500] [--speed 60] [--test-mode]');
  process.exit(2);
}
const emulator = await startEmulator({ port, speed, testMode: values['test-mode'] });
console.log(
  `EasyPost emulator listening on ${emulator.url} (baseUrl ${emulator.baseUrl}, speed ${speed}x${values['test-mode'] ? ', test mode' : ''})`,
);

// Close cleanly so a demo script's Ctrl-C or kill leaves no half-open sockets.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.close().then(() => process.exit(0));
  });
}
