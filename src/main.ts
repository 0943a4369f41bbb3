// `npm start`: the portal with its front server. Prints where to go.
import { fileURLToPath } from 'node:url';
import { startServer } from './server/start-server.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

try {
  const running = await startServer(root);
  const lines = [`\nWaypost is running at ${running.url}\n`];
  if (running.demo) {
    lines.push(`Demo store "${running.demo.storeName}": ${running.demo.lookupUrl}`);
    lines.push("Demo orders (each link is the shopper's order page):");
    const width = Math.max(...running.demo.orders.map((o) => o.label.length));
    for (const o of running.demo.orders) lines.push(`  ${o.label.padEnd(width)}  ${o.url}`);
    lines.push(`Look one up by number and email: order ${running.demo.orders[0]?.number}, ${running.demo.orders[0]?.email}`);
    lines.push(`Merchant API key for the demo store: ${running.demo.apiKey ?? '(kept from an earlier start)'}`);
    lines.push(`Back office: ${running.demo.lookupUrl.replace(/\/demo$/, '/admin')}`);
    for (const s of running.demo.signIns) lines.push(`  sign in as ${s.role.padEnd(5)} ${s.email} / ${s.password}`);
  }
  console.log(lines.join('\n') + '\n');
  const stop = async () => {
    await running.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
