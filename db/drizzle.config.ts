// drizzle-kit for SQLite (the embedded default): db/schema.ts into db/migrations.
// `npm run db:generate` runs this and the PostgreSQL config (db/drizzle.pg.config.ts).
import { defineConfig } from 'drizzle-kit';

process.env.WAYPOST_DB_DIALECT = 'sqlite'; // read by db/columns.ts when the schema is loaded

export default defineConfig({
  dialect: 'sqlite',
  schema: './db/schema.ts',
  out: './db/migrations',
});
