import { createServer, type IncomingMessage } from 'node:http';
import { Pool } from 'pg';

/**
 * The yardstick for the member subgraph: a plain `node:http` server that answers
 * `{ services { id name kind } }` for an anonymous caller with the same SQL statement the member
 * sends (the same text and parameters: PUBLIC rows, local id order, at most 1000) through `pg`,
 * and writes the same JSON. It does no GraphQL, no access checks and nothing else: what a member
 * could do at best on this database.
 *
 * Run: node dist/scripts/bench/plain-pg-member.js '{"databaseUrl":"postgres://…","schema":"kafshata","memberId":"kafshata"}'
 * Prints `{"url":"http://127.0.0.1:port/graphql"}` once listening.
 */
interface PlainConfig {
  databaseUrl: string;
  schema: string;
  memberId: string;
  port?: number;
  poolMax?: number;
}

const QUERY = '{ services { id name kind } }';

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startPlainPgMember(config: PlainConfig): Promise<{ url: string; stop(): Promise<void> }> {
  if (!/^[a-z_][a-z0-9_]*$/.test(config.schema)) throw new TypeError('schema must be a plain identifier');
  const pool = new Pool({ connectionString: config.databaseUrl, max: config.poolMax ?? 5 });
  // Exactly what the member's query builder sends for this query (see its query log).
  const sql = `select "s0".* from "${config.schema}"."service" as "s0" where "s0"."visibility" = $1 order by "s0"."id" asc limit $2`;
  const server = createServer(async (req, res) => {
    try {
      const body = JSON.parse(await readAll(req)) as { query?: string };
      if (body.query !== QUERY) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end('{"errors":[{"message":"only the benchmark query is served","extensions":{"code":"BAD_REQUEST"}}]}');
        return;
      }
      const { rows } = await pool.query<{ id: string; name: string; kind: string }>(sql, ['PUBLIC', 1000]);
      const services = rows.map((r) => ({ id: `${config.memberId}:${r.id}`, name: r.name, kind: r.kind }));
      const text = JSON.stringify({ data: { services } });
      res.writeHead(200, { 'content-type': 'application/graphql-response+json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
      res.end(text);
    } catch {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"errors":[{"message":"failed","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}');
    }
  });
  await new Promise<void>((resolve) => server.listen(config.port ?? 0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}

if (require.main === module) {
  startPlainPgMember(JSON.parse(process.argv[2]) as PlainConfig).then(
    (plain) => {
      process.stdout.write(`${JSON.stringify({ url: plain.url })}\n`);
      process.on('SIGTERM', () => plain.stop().then(() => process.exit(0)));
    },
    (err) => {
      process.stdout.write(`plain pg member failed: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
