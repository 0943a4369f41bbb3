// Structured logs. Secrets and tokens never go in: redact paths below cover the usual suspects.
import pino from 'pino';

const g = globalThis as { __waypostLog?: pino.Logger };

/** The process's logger (one instance even when modules load twice). */
export const log: pino.Logger = (g.__waypostLog ??= pino({
  level: process.env.WAYPOST_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
  redact: ['apiKey', 'secret', 'password', 'token', '*.apiKey', '*.secret', '*.password', '*.token', 'req.headers.authorization'],
}));
