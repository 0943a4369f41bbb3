// `npm run waypost -- <command>`: prints JSON on success, a clear message and exit 1 on failure.
import { parseArgs } from 'node:util';
import { ensureDatabase } from '../server/bootstrap.ts';
import { config } from '../server/config.ts';
import { closeDatabase } from '../server/db.ts';
import { isAppError } from '../server/errors.ts';
import { seedDemo } from '../server/demo/seed-demo.ts';
import { createStore } from '../server/stores/create-store.ts';
import { startSyncWorker } from '../server/sync/run-sync-worker.ts';

type Command = (args: string[]) => Promise<unknown>;

const commands: Record<string, { usage: string; run: Command }> = {
  'stores:create': {
    usage: 'stores:create --slug S --name N [--webhook-secret W] [--easypost-key K]',
    run: async (args) => {
      const { values } = parseArgs({
        args,
        options: {
          slug: { type: 'string' },
          name: { type: 'string' },
          'webhook-secret': { type: 'string' },
          'easypost-key': { type: 'string' },
        },
        strict: true,
      });
      if (!values.slug || !values.name) throw new UsageError('--slug and --name are required');
      ensureDatabase();
      const { store, apiKey } = await createStore({
        slug: values.slug,
        name: values.name,
        webhookSecret: values['webhook-secret'],
        easypostKey: values['easypost-key'],
      });
      return { store: { id: store.id, slug: store.slug, name: store.name, branding: store.branding, settings: store.settings }, apiKey };
    },
  },
  'db:migrate': {
    usage: 'db:migrate',
    run: async () => {
      ensureDatabase();
      return { migrated: true, database: config().databasePath };
    },
  },
  worker: {
    usage: 'worker',
    run: async () => {
      ensureDatabase();
      const worker = startSyncWorker();
      process.stderr.write(`carrier-sync worker ${worker.owner} running; Ctrl-C stops it\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await worker.stop();
      return { stopped: worker.owner };
    },
  },
  'demo:seed': {
    usage: 'demo:seed',
    run: async () => {
      ensureDatabase();
      return seedDemo({ publicUrl: config().publicUrl });
    },
  },
};

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    const list = Object.values(commands)
      .map((c) => `  ${c.usage}`)
      .join('\n');
    process.stderr.write(`${name ? `Unknown command "${name}".` : 'No command given.'}\nUsage: npm run waypost -- <command>\n${list}\n`);
    return 2;
  }
  try {
    const result = await command.run(args);
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return 0;
  } catch (err) {
    if (isAppError(err)) {
      const fields = err.errors.map((e) => `\n  ${e.pointer.replace(/^\//, '') || '(body)'}: ${e.detail}`).join('');
      process.stderr.write(`${err.message}${fields}\n`);
    } else if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`${err.message}\nUsage: npm run waypost -- ${command.usage}\n`);
    } else {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    }
    return 1;
  } finally {
    closeDatabase();
  }
}

process.exitCode = await main(process.argv.slice(2));
