/**
 * Honest member health, through the real gateway: a member is only `OK` when it answers, its own
 * `/ready` says its database answers, and it accepts this gateway's signed assertions. Every read
 * from a member is bounded while it streams: a `/ready` body that never ends or a huge SDL costs the
 * gateway a few KB, not gigabytes.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { MemberSubgraph } from '../../subgraphs/member/src/app';
import { openDatabase } from '../../subgraphs/member/src/db/orm';
import { serveMember } from '../../subgraphs/member/src/serve';
import { SCHEMA_VERSION } from '../../schema/version';
import { ringMembers } from '../support/fixtures';
import { TestNetwork, databaseUrl, quietLogger, uniqueSchema } from '../support/network';
import { CONTRACT_SDL, until } from '../reliability/support';
import { capturingLogger, settle } from '../security/support';
import { freezableProxy, viaProxy, type FreezableProxy } from '../support/freezable-proxy';

/** Writes 64 KB chunks as fast as the socket takes them, until the client goes away; reports the bytes sent. */
function streamForever(res: ServerResponse, prefix: string, onClose?: (bytesSent: number) => void): void {
  const chunk = Buffer.alloc(65_536, 'x');
  let sent = 0;
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write(prefix);
  const pump = () => {
    while (!res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) break;
    }
    if (!res.destroyed) res.once('drain', pump);
  };
  res.on('error', () => undefined);
  res.on('close', () => onClose?.(sent));
  pump();
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

describe('honest member health', () => {
  const gatewayLog = capturingLogger('gateway');
  let net: TestNetwork;
  const servers: Server[] = [];
  const extra: MemberSubgraph[] = [];
  let dbDownOrm: MikroORM;

  beforeAll(async () => {
    net = await TestNetwork.start(ringMembers(['alpha', 'beta']), { logger: gatewayLog.logger, healthIntervalMs: 150, memberDeadlineMs: 5000 });
  });
  afterAll(async () => {
    for (const s of servers) (s.closeAllConnections(), s.close());
    for (const m of extra) await m.stop().catch(() => undefined);
    await net?.stop();
    await dbDownOrm?.close(true).catch(() => undefined);
  });

  type Status = { state: string; reachable: boolean; ready: boolean | null; trusted: boolean | null; compatible: boolean | null; problems: string[] };
  const statusOf = async (id: string): Promise<Status> => (await net.query(`{ member(id: "${id}") { status { state reachable ready trusted compatible problems } } }`)).body.data!.member.status;
  const waitForState = (id: string, state: string) => until(async () => ((await statusOf(id)).state === state ? statusOf(id) : undefined), { timeoutMs: 15_000, what: `${id} to be ${state}` });

  it('reports a member that answers, is ready and trusts this gateway as OK (and trusted)', async () => {
    const status = await waitForState('alpha', 'OK');
    expect(status).toMatchObject({ reachable: true, ready: true, trusted: true, compatible: true, problems: [] });
  });

  it('cuts a /ready body that never ends at its cap: the member is UNAVAILABLE and gateway memory stays bounded', async () => {
    const sentPerCheck: number[] = [];
    const server = createServer((req, res) => {
      req.resume();
      if (req.url === '/ready' || req.url === '/health') return streamForever(res, `{"status":"ready","schemaVersion":"${SCHEMA_VERSION}","pad":"`, (n) => sentPerCheck.push(n));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: { services: [] } }));
    });
    servers.push(server);
    const rssBefore = process.memoryUsage().rss;
    net.addExternalMember({ id: 'endless', url: await listen(server) });
    await net.reloadRegistry();
    await waitForState('endless', 'UNAVAILABLE');
    // many more rounds of checks (each would read until its deadline without the cap)
    await new Promise((r) => setTimeout(r, 2000));
    const grownMb = (process.memoryUsage().rss - rssBefore) / 1e6;
    expect(grownMb).toBeLessThan(150);
    // each check stopped reading at its cap: what the member managed to send is the cap plus
    // socket buffers, not whatever it could push until the deadline
    expect(sentPerCheck.length).toBeGreaterThan(3);
    expect(Math.max(...sentPerCheck)).toBeLessThan(8_000_000);
    const status = await statusOf('endless');
    expect(status).toMatchObject({ state: 'UNAVAILABLE', reachable: false });
    expect(status.problems.join(' ')).toMatch(/larger than \d+ bytes/);
  });

  it('cuts a huge SDL at its cap and reports the member INCOMPATIBLE', async () => {
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.url === '/ready') {
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ status: 'ready', schemaVersion: SCHEMA_VERSION }));
        }
        if (body.includes('_service')) return streamForever(res, `{"data":{"_service":{"sdl":${JSON.stringify(CONTRACT_SDL).slice(0, -1)}`);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: { services: [] } }));
      });
    });
    servers.push(server);
    net.addExternalMember({ id: 'hugesdl', url: await listen(server) });
    await net.reloadRegistry();
    const status = await waitForState('hugesdl', 'INCOMPATIBLE');
    expect(status.problems.join(' ')).toMatch(/SDL larger than 1000000 bytes/);
  });

  it('reports a member whose database is down as UNAVAILABLE (its /ready says 503), and logs each change once, as a warning', async () => {
    dbDownOrm = await openDatabase({ url: databaseUrl(), schema: uniqueSchema('dbdown'), poolMax: 2 }, quietLogger());
    const member = await serveMember(
      { memberId: 'dbdown', languages: ['en'], port: 0, host: '127.0.0.1', registryFile: net.registryFile, databaseSchema: 'unused', acceptDirectTokens: false, callerPolicy: 'asserted' },
      { logger: quietLogger(), orm: dbDownOrm },
    );
    extra.push(member);
    net.addExternalMember({ id: 'dbdown', url: member.url });
    await net.reloadRegistry();
    await waitForState('dbdown', 'OK');
    await dbDownOrm.close(true);
    const status = await waitForState('dbdown', 'UNAVAILABLE');
    expect(status).toMatchObject({ reachable: true, ready: false });
    expect(status.problems.join(' ')).toMatch(/database is unavailable/);
    await settle();
    const changes = gatewayLog.lines().filter((l) => l.msg === 'member health changed' && l.member === 'dbdown');
    expect(changes.map((l) => [l.previous, l.state])).toEqual([
      ['unknown', 'ok'],
      ['ok', 'unavailable'],
    ]);
    expect(changes[1].level).toBe(40); // a warning
  });

  it('reports a member whose database hangs as UNAVAILABLE, and OK again after the thaw', async () => {
    const url = new URL(databaseUrl());
    const proxy: FreezableProxy = await freezableProxy({ host: url.hostname, port: Number(url.port || 5432) });
    const orm = await openDatabase({ url: viaProxy(databaseUrl(), proxy), schema: uniqueSchema('dbhang'), poolMax: 2, timeouts: { statementMs: 800, connectMs: 800 } }, quietLogger());
    try {
      const member = await serveMember(
        { memberId: 'dbhang', languages: ['en'], port: 0, host: '127.0.0.1', registryFile: net.registryFile, databaseSchema: 'unused', acceptDirectTokens: false, callerPolicy: 'asserted' },
        { logger: quietLogger(), orm },
      );
      extra.push(member);
      net.addExternalMember({ id: 'dbhang', url: member.url });
      await net.reloadRegistry();
      await waitForState('dbhang', 'OK');
      proxy.freeze();
      const status = await waitForState('dbhang', 'UNAVAILABLE');
      expect(status).toMatchObject({ reachable: true, ready: false });
      proxy.thaw();
      await waitForState('dbhang', 'OK');
    } finally {
      proxy.thaw();
      await extra.pop()?.stop();
      await orm.close(true);
      await proxy.close();
    }
  });

  describe('a member that refuses this gateway', () => {
    let refuser: MemberSubgraph;
    beforeAll(async () => {
      refuser = await serveMember(
        {
          memberId: 'refuser',
          languages: ['en'],
          port: 0,
          host: '127.0.0.1',
          registryFile: net.registryFile,
          databaseSchema: 'unused',
          acceptDirectTokens: false,
          callerPolicy: 'asserted',
          trustedGateways: ['another-gateway'],
        },
        { logger: quietLogger(), orm: net.orms.get('alpha')! },
      );
      extra.push(refuser);
      net.addExternalMember({ id: 'refuser', url: refuser.url });
      await net.reloadRegistry();
    });

    it('shows as UNTRUSTED in Member.status, with the reason', async () => {
      const status = await waitForState('refuser', 'UNTRUSTED');
      expect(status).toMatchObject({ reachable: true, ready: true, trusted: false });
      expect(status.problems.join(' ')).toMatch(/refuses this gateway's signed assertions/);
    });

    it('shows as untrusted in extensions.members and in the errors, for anonymous and token callers alike', async () => {
      for (const token of [undefined, await net.token('alpha')]) {
        const res = await net.query('{ services { id } }', { token });
        expect(res.status).toBe(200);
        expect(res.body.extensions!.members.refuser).toMatchObject({ status: 'untrusted' });
        expect(res.body.extensions!.members.alpha).toMatchObject({ status: 'ok' });
        const error = res.body.errors!.find((e: any) => e.extensions?.member === 'refuser');
        expect(error!.extensions).toMatchObject({ code: 'MEMBER_UNAVAILABLE', reason: 'untrusted' });
        expect(res.body.data!.services.some((s: { id: string }) => s.id.startsWith('alpha:'))).toBe(true);
      }
      // refusals are deliberate answers, not outages: the breaker stays closed
      expect(net.gateway.caller.breakerState('refuser')).toBe('closed');
    });

    it('shows in /metrics, and the gateway logs one warning naming it, not one per check', async () => {
      const metrics = await (await fetch(net.gateway.url.replace('/graphql', '/metrics'))).text();
      expect(metrics).toMatch(/infrared_gateway_member_state\{member="refuser",state="untrusted"\} 1/);
      expect(metrics).toMatch(/infrared_gateway_member_state\{member="refuser",state="ok"\} 0/);
      expect(metrics).toMatch(/infrared_gateway_member_state\{member="alpha",state="ok"\} 1/);
      await new Promise((r) => setTimeout(r, 600)); // a few more health rounds
      await settle();
      const warnings = gatewayLog.lines().filter((l) => l.msg === 'member health changed' && l.member === 'refuser');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ level: 40, state: 'untrusted', previous: 'unknown' });
    });
  });

  it('reports a member that cannot verify any gateway (no registry) as UNTRUSTED, distinct from anonymous', async () => {
    const loner = await serveMember(
      { memberId: 'loner', languages: ['en'], port: 0, host: '127.0.0.1', databaseSchema: 'unused', acceptDirectTokens: false, callerPolicy: 'asserted' },
      { logger: quietLogger(), orm: net.orms.get('beta')! },
    );
    extra.push(loner);
    net.addExternalMember({ id: 'loner', url: loner.url });
    await net.reloadRegistry();
    const status = await waitForState('loner', 'UNTRUSTED');
    expect(status.problems.join(' ')).toMatch(/cannot verify this gateway's assertions/);
  });
});
