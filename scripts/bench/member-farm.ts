import { createServer } from 'node:http';
import { createLogger } from '../../common/logger';
import { createMemberSubgraph, type MemberSubgraph } from '../../subgraphs/member/src/app';
import { openDatabase } from '../../subgraphs/member/src/db/orm';
import { importMemberData } from '../../subgraphs/member/src/import/import-member-data';

interface FarmConfig {
  databaseUrl: string;
  schemaPrefix: string;
  members: { id: string; services: number; latencyMs?: number; hang?: boolean }[];
  /** Database connections per member (the shared PostgreSQL has a connection limit). */
  poolMax?: number;
  /**
   * One database schema for every member (imported once from the first member's data; all members
   * must hold the same number of services): a hundred members then cost one connection pool,
   * not a hundred. Each member still answers as itself (its own ids, visibility and queries).
   */
  shareDatabase?: boolean;
  /**
   * Count SQL statements and change-log reads (default true). Counting runs the ORM with its
   * statement log on, which also turns off the members' prepared reads and formats a log line per
   * statement: a latency figure must not pay for it (false), as no production member does.
   */
  countSql?: boolean;
}

/** Generated member data: `services` PUBLIC services with one capacity record each. */
export function generatedData(id: string, services: number) {
  return {
    member: id,
    services: Array.from({ length: services }, (_, i) => ({
      id: `svc-${String(i).padStart(4, '0')}`,
      name: `Service ${i} of ${id}`,
      kind: 'EMAIL',
      description: { en: `Service ${i}` },
      languages: ['en'],
      regions: ['Bench'],
      status: 'OPERATIONAL',
      acceptingUsers: true,
      visibility: 'PUBLIC',
      capacity: [{ id: `cap-${String(i).padStart(4, '0')}`, resource: 'STORAGE_GB', total: 100, used: i % 100, visibility: 'PUBLIC' }],
    })),
  };
}

/**
 * A benchmark process hosting many member subgraphs (one schema each in one PostgreSQL), with
 * optional fixed latency or a hang, and a control endpoint that counts SQL statements per member.
 */
async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2]) as FarmConfig;
  const logger = createLogger('bench-farm', 'error');
  const sql = new Map<string, number>();
  /** Reads of each member's change log: one per `changes` call (the upstream feed calls). */
  const feedReads = new Map<string, number>();
  const orms = new Map<string, Awaited<ReturnType<typeof openDatabase>>>();
  const running: MemberSubgraph[] = [];
  const out: { id: string; url: string }[] = [];
  let shared: Awaited<ReturnType<typeof openDatabase>> | undefined;
  for (const m of config.members) {
    if (m.hang) {
      const server = createServer(() => undefined); // accepts, never answers
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      out.push({ id: m.id, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql` });
      continue;
    }
    sql.set(m.id, 0);
    if (config.shareDatabase && shared) {
      const member = await createMemberSubgraph({ member: { id: m.id, languages: ['en'] }, database: { orm: shared }, logger, simulate: m.latencyMs ? { latencyMs: () => m.latencyMs! } : undefined });
      running.push(member);
      out.push({ id: m.id, url: member.url });
      continue;
    }
    const orm = await openDatabase(
      {
        url: config.databaseUrl,
        schema: `${config.schemaPrefix}_${m.id.replace(/-/g, '_')}`,
        poolMax: config.poolMax ?? 4,
        onQuery:
          config.countSql === false
            ? undefined
            : (line) => {
                if (/\[query\] (select|insert|update|delete)\b/i.test(line)) sql.set(m.id, (sql.get(m.id) ?? 0) + 1);
                if (/\[query\] (with|select)\b/i.test(line) && line.includes('record_change')) feedReads.set(m.id, (feedReads.get(m.id) ?? 0) + 1);
              },
      },
      logger,
    );
    await importMemberData(orm, m.id, generatedData(m.id, m.services) as never, { prune: true });
    orms.set(m.id, orm);
    if (config.shareDatabase) shared = orm;
    const latency = m.latencyMs ?? 0;
    const member = await createMemberSubgraph({ member: { id: m.id, languages: ['en'] }, database: { orm }, logger, simulate: latency ? { latencyMs: () => latency } : undefined });
    running.push(member);
    out.push({ id: m.id, url: member.url });
  }
  const control = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://farm');
    if (url.pathname === '/touch') {
      // a change at a member, as an operator's edit: one service's status flips (the change log's trigger records it)
      const member = url.searchParams.get('member') ?? '';
      const orm = orms.get(member);
      if (!orm) {
        res.writeHead(404).end();
        return;
      }
      const schema = `${config.schemaPrefix}_${member.replace(/-/g, '_')}`;
      await orm.em.getConnection().execute(`update "${schema}"."service" set "status" = case when "status" = 'OPERATIONAL' then 'DEGRADED' else 'OPERATIONAL' end where "id" = 'svc-0000'`, [], 'run');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ member, id: `${member}:svc-0000` }));
      return;
    }
    if (url.pathname === '/feed') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(Object.fromEntries(feedReads)));
      return;
    }
    if (url.pathname === '/sql/reset') for (const k of sql.keys()) sql.set(k, 0);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(Object.fromEntries(sql)));
  });
  await new Promise<void>((r) => control.listen(0, '127.0.0.1', () => r()));
  process.stdout.write(`${JSON.stringify({ members: out, control: `http://127.0.0.1:${(control.address() as { port: number }).port}` })}\n`);
  process.on('SIGTERM', async () => {
    for (const m of running) await m.stop().catch(() => undefined);
    process.exit(0);
  });
}

if (require.main === module)
  main().catch((err) => {
    process.stdout.write(`farm failed: ${(err as Error).message}\n`);
    process.exit(1);
  });
