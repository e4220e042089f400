/**
 * A member whose schema no longer serves the network contract is found out by the health checks
 * (`_service { sdl }` against schema/member.graphql) and left out of the fan-out; a member that
 * only adds to the contract is served.
 */
import { ringMembers } from '../support/fixtures';
import { TestNetwork } from '../support/network';
import { CONTRACT_SDL, fakeMember, healthyAnswer, until, type FakeMember } from './support';

/** The contract without `Service.acceptingUsers` (the input types keep theirs). */
function contractWithoutAcceptingUsers(): string {
  const start = CONTRACT_SDL.indexOf('type Service @key');
  const end = CONTRACT_SDL.indexOf('\n}', start);
  expect(start).toBeGreaterThanOrEqual(0);
  const block = CONTRACT_SDL.slice(start, end);
  expect(block).toMatch(/\n\s*acceptingUsers: Boolean!\n/);
  return CONTRACT_SDL.slice(0, start) + block.replace(/\n\s*acceptingUsers: Boolean!\n/, '\n') + CONTRACT_SDL.slice(end);
}

/** The contract plus a field on Service and a type of its own: a newer, additive member. */
function contractPlusExtras(): string {
  return CONTRACT_SDL.replace('type Service @key(fields: "id") {', 'type Service @key(fields: "id") {\n  carbonFootprint: Float') + '\n\ntype Extra {\n  id: ID!\n  note: String\n}\n';
}

describe('schema compatibility of members', () => {
  let net: TestNetwork;
  let older: FakeMember;
  let newer: FakeMember;

  beforeAll(async () => {
    net = await TestNetwork.start([ringMembers(['alpha', 'beta'])[0]], { rateLimitPoints: 100_000, responseCacheTtlSeconds: 0 });
    older = await fakeMember(healthyAnswer({ sdl: contractWithoutAcceptingUsers(), schemaVersion: '0.9.0', data: { services: [{ id: 'older:x', infrared__id: 'older:x' }] } }));
    newer = await fakeMember(healthyAnswer({ sdl: contractPlusExtras(), schemaVersion: '1.1.0', data: { services: [{ id: 'newer:x', infrared__id: 'newer:x' }] } }));
    net.addExternalMember({ id: 'older', url: older.url });
    net.addExternalMember({ id: 'newer', url: newer.url });
    await net.reloadRegistry();
  });
  afterAll(async () => {
    await older?.close();
    await newer?.close();
    await net?.stop();
  });

  const statusOf = async (id: string) =>
    (await net.query(`{ member(id: "${id}") { status { reachable schemaVersion compatible problems breaker } } }`)).body.data!.member.status as {
      reachable: boolean;
      schemaVersion: string | null;
      compatible: boolean | null;
      problems: string[];
      breaker: string;
    };

  it('reports a member lacking a contract field as incompatible, and never asks it', async () => {
    const status = await until(
      async () => {
        const s = await statusOf('older');
        return s.compatible === false ? s : undefined;
      },
      { what: 'the health check to read the older SDL' },
    );
    expect(status).toMatchObject({ reachable: true, schemaVersion: '0.9.0', compatible: false });
    expect(status.problems.join('\n')).toMatch(/acceptingUsers/);
    // the health check read its SDL, and nothing else
    expect(older.requests.some((r) => r.body.includes('_service'))).toBe(true);
    expect(older.dataCalls()).toBe(0);

    for (const q of ['{ services { id } }', '{ services { id name acceptingUsers } }', '{ members { id services { id } } }', '{ service(id: "older:x") { id } }']) {
      const { status: http, body } = await net.query(q);
      expect(http).toBe(200);
      expect(JSON.stringify(body.data)).not.toContain('older:x');
      expect(body.extensions!.members.older).toEqual(expect.objectContaining({ status: 'skipped' }));
    }
    const { body } = await net.query('{ services { id } }');
    expect(body.data!.services.map((s: { id: string }) => s.id)).toEqual(['alpha:pub', 'newer:x']);
    expect(body.errors).toBeUndefined();
    expect(older.dataCalls()).toBe(0);
  });

  it('serves a member whose schema only adds to the contract', async () => {
    const status = await until(
      async () => {
        const s = await statusOf('newer');
        return s.compatible !== null ? s : undefined;
      },
      { what: 'the health check to read the newer SDL' },
    );
    expect(status).toMatchObject({ reachable: true, schemaVersion: '1.1.0', compatible: true, problems: [] });
    const before = newer.dataCalls();
    const { body } = await net.query('{ services { id } }');
    expect(body.extensions!.members.newer).toEqual(expect.objectContaining({ status: 'ok' }));
    expect(body.data!.services.map((s: { id: string }) => s.id)).toContain('newer:x');
    expect(newer.dataCalls()).toBe(before + 1);
  });
});
