// `npm run waypost -- <command>`: prints JSON on success, a clear message and exit 1 on failure.
import { parseArgs } from 'node:util';
import { ensureDatabase } from '../server/bootstrap.ts';
import { config } from '../server/config.ts';
import { checkpointInBackground, closeDatabase } from '../server/db.ts';
import { isAppError } from '../server/errors.ts';
import { seedDemo } from '../server/demo/seed-demo.ts';
import { createPasswordReset } from '../server/auth/password-reset.ts';
import { createStore } from '../server/stores/create-store.ts';
import { getStoreBySlug } from '../server/stores/get-store.ts';
import { createUser } from '../server/users/create-user.ts';
import { JOBS, startJobs } from '../server/jobs/registry.ts';
import { rebuildDeliveryRollup } from '../server/analytics/rebuild-delivery-rollup.ts';

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
      await ensureDatabase();
      const { store, apiKey } = await createStore({
        slug: values.slug,
        name: values.name,
        webhookSecret: values['webhook-secret'],
        easypostKey: values['easypost-key'],
      });
      return { store: { id: store.id, slug: store.slug, name: store.name, branding: store.branding, settings: store.settings }, apiKey };
    },
  },
  'users:create': {
    usage: 'users:create --store S --email E --role owner|staff [--name N]   (password from WAYPOST_PASSWORD or standard input)',
    run: async (args) => {
      const { values } = parseArgs({
        args,
        options: { store: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } },
        strict: true,
      });
      if (!values.store || !values.email || !values.role) throw new UsageError('--store, --email and --role are required');
      await ensureDatabase();
      const store = await getStoreBySlug(values.store);
      if (!store) throw new UsageError(`No store with the slug "${values.store}"`);
      const password = process.env.WAYPOST_PASSWORD ?? (await readStdin()).replace(/\r?\n$/, '');
      if (!password) throw new UsageError('Give the password in WAYPOST_PASSWORD or on standard input');
      const user = await createUser(
        { storeId: store.id, email: values.email, role: values.role as 'owner' | 'staff', name: values.name, password },
        { userId: null, label: 'command line' },
        Date.now(),
      );
      return { user: { ...user, store: store.slug } };
    },
  },
  'users:reset-password': {
    usage: 'users:reset-password --email E   (prints a one-time link, valid for an hour)',
    run: async (args) => {
      const { values } = parseArgs({ args, options: { email: { type: 'string' } }, strict: true });
      if (!values.email) throw new UsageError('--email is required');
      await ensureDatabase();
      const { token } = await createPasswordReset(values.email, Date.now());
      return { resetUrl: `${config().publicUrl}/admin/reset/${token}`, expiresInMinutes: 60 };
    },
  },
  'db:migrate': {
    usage: 'db:migrate',
    run: async () => {
      await ensureDatabase();
      return { migrated: true, database: databaseLabel() };
    },
  },
  worker: {
    usage: 'worker [--only JOB,JOB]',
    run: async (args) => {
      const { values } = parseArgs({ args, options: { only: { type: 'string' } }, strict: true });
      await ensureDatabase();
      checkpointInBackground(); // WAL checkpoints off the thread that runs the jobs
      const only = values.only?.split(',').map((s) => s.trim());
      let jobs;
      try {
        jobs = startJobs({ only });
      } catch (err) {
        throw new UsageError(err instanceof Error ? err.message : String(err));
      }
      process.stderr.write(`jobs running: ${jobs.jobs.map((j) => j.name).join(', ')}; Ctrl-C stops them\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await jobs.stop();
      return { stopped: jobs.jobs.map((j) => ({ job: j.name, owner: j.owner })) };
    },
  },
  jobs: {
    usage: 'jobs',
    run: async () => JOBS.map((j) => ({ name: j.name, does: j.does, cadence: j.cadence, oneWorker: j.oneWorker })),
  },
  'analytics:rebuild': {
    usage: 'analytics:rebuild [--store S]   (recomputes the daily delivery rollup exactly from the parcels)',
    run: async (args) => {
      const { values } = parseArgs({ args, options: { store: { type: 'string' } }, strict: true });
      await ensureDatabase();
      let storeId: string | undefined;
      if (values.store) {
        const store = await getStoreBySlug(values.store);
        if (!store) throw new UsageError(`No store with the slug "${values.store}"`);
        storeId = store.id;
      }
      return { rebuilt: await rebuildDeliveryRollup({ storeId }), store: values.store ?? 'every store' };
    },
  },
  'demo:seed': {
    usage: 'demo:seed',
    run: async () => {
      await ensureDatabase();
      return seedDemo({ publicUrl: config().publicUrl });
    },
  },
};

class UsageError extends Error {}

/** Which database the command used: the SQLite file, or the PostgreSQL URL without its password. */
function databaseLabel(): string {
  const { databaseUrl, databasePath } = config();
  if (!databaseUrl) return databasePath;
  const url = new URL(databaseUrl);
  url.password = '';
  return url.toString();
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

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
    await closeDatabase();
  }
}

process.exitCode = await main(process.argv.slice(2));
