import { Client } from 'pg';

/**
 * Ends the run: stops the embedded PostgreSQL, or, on a real PostgreSQL, drops the schemas the
 * tests created (`t<hex>_<member>` from uniqueSchema, and the demo's `member_*` from the browser
 * suite). Dropping here, after every test file has finished, avoids racing a migrator that lists
 * tables in another file.
 */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __embeddedPostgres?: { stop(): Promise<void> } }).__embeddedPostgres?.stop();
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "select nspname as name from pg_namespace where nspname ~ '^t[0-9a-f]{8}_' or nspname in ('member_kafshata', 'member_nodo_sur', 'member_ironweed', 'member_ciberfeminista')",
    );
    for (const { name } of rows) await client.query(`drop schema if exists "${name}" cascade`);
  } finally {
    await client.end();
  }
}
