// A transaction's scope, shared by both dialects' transaction(): the Tx a body receives, its
// after-commit hooks, and the async context that knows whether code runs inside one. Internal to
// src/server/db.ts (everyone else imports Db and Tx from there).
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type pg from 'pg';
import { AsyncLocalStorage } from 'node:async_hooks';
import type * as schema from '../../../db/schema.ts';
import { log } from '../log.ts';

export type Db = BetterSQLite3Database<typeof schema>;

/** What a transaction lives on: its after-commit hooks, and whether it is still open. */
export interface Scope {
  open: boolean;
  afterCommit: (() => void)[];
  /** The writing connection's client (what prepared statements are built on). */
  connection: Db;
  /** PostgreSQL: the pooled connection the transaction runs on (for lockRow's raw statement). */
  pgClient?: pg.PoolClient;
}

// Symbol.for and globalThis: this module can be loaded twice in one process (Node's copy and
// Astro's bundle), and both copies must share one lock, one queue and one notion of "inside".
export const SCOPE: unique symbol = Symbol.for('waypost.transaction.scope');

/**
 * What a transaction body receives: the query API of the writing connection, inside the
 * transaction. Only transaction() and groupedTransaction() make one, so a function that takes a
 * Tx can only be called inside a transaction (and afterCommit()/lockRow() need one).
 */
export type Tx = Db & { readonly [SCOPE]: Scope };

const g = globalThis as { __waypostTxContext?: AsyncLocalStorage<Scope> };
/** The transaction the current async context runs inside, if any (to refuse a nested one). */
export const context = (g.__waypostTxContext ??= new AsyncLocalStorage<Scope>());

/**
 * A transaction() inside a transaction would wait for the lock its caller holds, forever: fail
 * loudly instead. (Pass the caller's tx down; a function meant for both takes a Tx.)
 */
export function refuseNested(what: string): void {
  if (context.getStore()?.open) throw new Error(`${what} called inside a transaction: pass the transaction's tx down instead`);
}

export function openScope(connection: Db, pgClient?: pg.PoolClient): { scope: Scope; tx: Tx } {
  const scope: Scope = { open: true, afterCommit: [], connection, pgClient };
  // The writing connection's client, with this transaction's scope on it (one small object).
  const tx = Object.create(connection) as Tx & { [SCOPE]: Scope };
  tx[SCOPE] = scope;
  // drizzle's own (synchronous) transaction would commit its savepoint at the first await.
  tx.transaction = () => {
    throw new Error('tx.transaction() is not supported: run the writes on tx itself');
  };
  return { scope, tx };
}

export function runAfterCommit(hooks: (() => void)[]): void {
  for (const fn of hooks) {
    try {
      fn();
    } catch (err) {
      log.error({ err }, 'an after-commit hook failed (the transaction is committed)');
    }
  }
}

export function openScopeOf(tx: Tx, what: string): Scope {
  const scope = (tx as Partial<Tx>)[SCOPE];
  if (!scope) throw new Error(`${what} needs a transaction's tx, not db()`);
  if (!scope.open) throw new Error(`${what} called with the tx of a transaction that has ended`);
  return scope;
}
