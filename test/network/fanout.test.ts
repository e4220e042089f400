import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ringMembers } from '../support/fixtures';
import { TestNetwork } from '../support/network';
import { memberSdlPath } from '../../schema/paths';

const CONTRACT = readFileSync(memberSdlPath(), 'utf8');

/** A real HTTP endpoint that answers every request with the given function. */
async function fakeMember(answer: (body: string) => { status?: number; text: string } | null): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      // the gateway's schema check reads the SDL: these fakes claim the real contract, so they
      // are asked (and their faults exercised) rather than skipped as incompatible
      if (body.includes('_service')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ data: { _service: { sdl: CONTRACT } } }));
      }
      const out = answer(body);
      if (!out) return; // hang: never answer
      res.writeHead(out.status ?? 200, { 'content-type': 'application/json' });
      res.end(out.text);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server };
}

describe('fan-out gateway over real member subgraphs', () => {
  let net: TestNetwork;
  beforeAll(async () => {
    net = await TestNetwork.start(ringMembers());
  });
  afterAll(() => net.stop());

  it('merges root lists in member order, then local id order', async () => {
    const { body } = await net.query('{ services { id } }');
    expect(body.errors).toBeUndefined();
    expect(body.data!.services.map((s: { id: string }) => s.id)).toEqual(['alpha:pub', 'beta:pub', 'gamma:pub']);
    expect(body.extensions!.members).toEqual({
      alpha: expect.objectContaining({ status: 'ok' }),
      beta: expect.objectContaining({ status: 'ok' }),
      gamma: expect.objectContaining({ status: 'ok' }),
    });
  });

  it('honours limit after the merge, and keeps aliases apart', async () => {
    const token = await net.token('alpha');
    const { body } = await net.query('{ two: services(limit: 2) { id } all: services { id } }', { token });
    expect(body.data!.two.map((s: { id: string }) => s.id)).toEqual(['alpha:mem', 'alpha:net']);
    expect(body.data!.all.length).toBeGreaterThan(2);
  });

  it('routes lookups by id to the owner only', async () => {
    const { body } = await net.query('{ service(id: "beta:pub") { id name member { id name } } }');
    expect(body.data!.service).toEqual({ id: 'beta:pub', name: 'Service pub', member: { id: 'beta', name: 'Member beta' } });
    expect(Object.keys(body.extensions!.members)).toEqual(['beta']);
  });

  it('asks only the members named in a services filter', async () => {
    const { body } = await net.query('query($f: ServiceFilter) { services(filter: $f) { id } }', { variables: { f: { members: ['gamma'] } } });
    expect(body.data!.services.map((s: { id: string }) => s.id)).toEqual(['gamma:pub']);
    expect(Object.keys(body.extensions!.members)).toEqual(['gamma']);
  });

  it('resolves entities across members, in order (members → services → capacity)', async () => {
    const { body } = await net.query('{ members { id services { id capacity { id total } } } }');
    expect(body.errors).toBeUndefined();
    expect(body.data!.members.map((m: { id: string; services: { id: string }[] }) => [m.id, m.services.map((s) => s.id)])).toEqual([
      ['alpha', ['alpha:pub']],
      ['beta', ['beta:pub']],
      ['gamma', ['gamma:pub']],
    ]);
    expect(body.data!.members[1].services[0].capacity).toEqual([{ id: 'beta:pub-cap', total: 100 }]);
  });

  it('falls back through languages: requested, Accept-Language, member default', async () => {
    const q = '{ service(id: "alpha:pub") { a: description(lang: "sq") b: description } }';
    const plain = await net.query(q);
    expect(plain.body.data!.service).toEqual({ a: 'Teksti shqip i pub', b: 'English text of pub' });
    const spanish = await net.query(q, { headers: { 'accept-language': 'es-AR,es;q=0.9' } });
    expect(spanish.body.data!.service.b).toBe('Texto en español de pub');
  });

  it('keeps answering when a member is down, and names it', async () => {
    const beta = net.members.get('beta')!;
    const port = beta.port;
    await beta.stop();
    try {
      const { body } = await net.query('{ services { id } members { id services { id } } }');
      expect(body.data!.services.map((s: { id: string }) => s.id)).toEqual(['alpha:pub', 'gamma:pub']);
      const down = body.errors!.filter((e) => e.extensions?.code === 'MEMBER_UNAVAILABLE');
      expect(down.length).toBeGreaterThan(0);
      expect(down.every((e) => e.extensions!.member === 'beta')).toBe(true);
      expect(body.data!.members.find((m: { id: string }) => m.id === 'beta').services).toBeNull();
      expect(body.data!.members.find((m: { id: string }) => m.id === 'alpha').services).toEqual([{ id: 'alpha:pub' }]);
      expect(body.extensions!.members.beta.status).toBe('error');
    } finally {
      await net.startMember({ id: 'beta' }, port);
    }
    const back = await net.query('{ services { id } }');
    expect(back.body.errors).toBeUndefined();
  });
});

describe('faulty and lying members', () => {
  let net: TestNetwork;
  const fakes: Server[] = [];
  beforeAll(async () => {
    net = await TestNetwork.start(ringMembers(['alpha', 'beta']), { memberDeadlineMs: 1500, maxMemberResponseBytes: 50_000 });
    const liar = await fakeMember((body) => {
      if (body.includes('_entities')) return { text: JSON.stringify({ data: { _entities: [{ __typename: 'Service', infrared__id: 'alpha:pub', id: 'alpha:pub', name: 'forged' }] } }) };
      return {
        text: JSON.stringify({
          data: {
            services: [
              { id: 'liar:ok', infrared__id: 'liar:ok' },
              { id: 'alpha:forged', infrared__id: 'alpha:forged' },
            ],
          },
        }),
      };
    });
    const garbage = await fakeMember(() => ({ text: '<html>oops</html>' }));
    const hang = await fakeMember(() => null);
    const huge = await fakeMember(() => ({ text: JSON.stringify({ data: { services: Array.from({ length: 5000 }, (_, i) => ({ id: `huge:${i}`, infrared__id: `huge:${i}` })) } }) }));
    const badShape = await fakeMember(() => ({ text: JSON.stringify({ data: [1, 2, 3] }) }));
    fakes.push(liar.server, garbage.server, hang.server, huge.server, badShape.server);
    net.addExternalMember({ id: 'liar', url: liar.url });
    net.addExternalMember({ id: 'garbage', url: garbage.url });
    net.addExternalMember({ id: 'hang', url: hang.url });
    net.addExternalMember({ id: 'huge', url: huge.url });
    net.addExternalMember({ id: 'shape', url: badShape.url });
    await net.reloadRegistry();
  });
  afterAll(async () => {
    for (const s of fakes) (s.closeAllConnections(), s.close());
    await net.stop();
  });

  it('drops records under a foreign prefix, reports them, and still answers for everyone else', async () => {
    const started = Date.now();
    const { body } = await net.query('{ services { id } }');
    const ids = body.data!.services.map((s: { id: string }) => s.id);
    expect(ids).toEqual(['alpha:pub', 'beta:pub', 'liar:ok']);
    expect(ids).not.toContain('alpha:forged');
    const codes = Object.fromEntries((body.errors ?? []).map((e) => [e.extensions!.member, e.extensions!.code]));
    expect(codes).toEqual({ liar: 'FOREIGN_RECORD_DROPPED', garbage: 'MEMBER_UNAVAILABLE', hang: 'MEMBER_UNAVAILABLE', huge: 'MEMBER_UNAVAILABLE', shape: 'MEMBER_UNAVAILABLE' });
    expect(body.extensions!.members.hang.status).toBe('timeout');
    expect(body.extensions!.members.garbage.status).toBe('error');
    // a hung member costs one deadline (1.5 s), not more
    expect(Date.now() - started).toBeLessThan(1500 + 2000);
  });

  it('never lets a member answer an entity lookup for another member', async () => {
    const { body } = await net.query('{ service(id: "liar:x") { id name } }');
    expect(body.data!.service).toBeNull();
  });
});
