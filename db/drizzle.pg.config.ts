// drizzle-kit for PostgreSQL: the same schema (db/schema.ts), built as PostgreSQL tables, into
// db/migrations-pg. `npm run db:generate` runs this and the SQLite config (db/drizzle.config.ts).
import { defineConfig } from 'drizzle-kit';

process.env.WAYPOST_DB_DIALECT = 'postgresql'; // read by db/columns.ts when the schema is loaded

export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema.ts',
  out: './db/migrations-pg',
});
