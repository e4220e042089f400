/**
 * A registry the members sign, at a real gateway and a real member subgraph, through the real file
 * watcher: whoever can write their registry file but holds fewer than `threshold` member keys
 * cannot add a member, change a member's keys or URL, or remove a revocation. Each service keeps
 * (and stores) the last accepted version, and says why it refused in its log, /metrics and /ready.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { createKeyPair, publicPart, type PrivateJwk } from '../../common/auth/keys';
import { readRegistryVersion, signRegistryVersion } from '../../common/registry/signed-registry';
import { createGateway, type Gateway } from '../../gateway/src/app';
import type { MemberSubgraph } from '../../subgraphs/member/src/app';
import { serveMember } from '../../subgraphs/member/src/serve';
import { ringMembers } from '../support/fixtures';
import { GATEWAY_ID, post, quietLogger, TestNetwork } from '../support/network';

type Doc = Record<string, any>;
const signed = { registrySignatures: 'on' as const };
let net: TestNetwork;
let dir: string;
let file: string;
let pin: string;
let gateway: Gateway;
let member: MemberSubgraph;
let attackerKey: PrivateJwk;
const base = (m: MemberSubgraph) => m.url.replace(/\/graphql$/, '');

/** The accepted document (from the file), edited, and signed by `signers` (with `keys`). */
async function write(edit: (doc: Doc) => void, signers: string[], keys: Map<string, PrivateJwk> = net.keys): Promise<string> {
  const doc = parse(readFileSync(join(dir, 'accepted.yaml'), 'utf8')) as Doc;
  delete doc.signatures;
  edit(doc);
  const unsigned = readRegistryVersion(stringify(doc));
  doc.signatures = await Promise.all(signers.map((id) => signRegistryVersion(unsigned, id, keys.get(id)!)));
  writeFileSync(file, stringify(doc));
  return unsigned.hash;
}

async function readyOf(url: string): Promise<Doc> {
  return (await (await fetch(`${url}/ready`)).json()) as Doc;
}

/** Waits until both services have refused (or accepted) the version with this hash. */
async function settled(hash: string, outcome: 'refused' | 'accepted'): Promise<Doc[]> {
  for (let i = 0; i < 150; i++) {
    const states = await Promise.all([readyOf(gateway.url.replace(/\/graphql$/, '')), readyOf(base(member))]);
    if (states.every((s) => (outcome === 'accepted' ? s.registry.accepted.hash === hash : s.registry.lastRefusal?.hash === hash))) return states;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the services did not report ${hash} as ${outcome}`);
}

async function refusals(url: string, reason: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(text.match(new RegExp(`^infrared_registry_refusals_total\\{reason="${reason}"\\} (\\d+)`, 'm'))?.[1] ?? 0);
}

beforeAll(async () => {
  net = await TestNetwork.start(ringMembers(['alpha', 'beta', 'gamma']));
  attackerKey = (await createKeyPair()).privateJwk;
  dir = mkdtempSync(join(tmpdir(), 'infrared-signed-'));
  file = join(dir, 'network.yaml');
  // the first version: three members, a majority (2) signs the next; every beta token before 2100 is revoked
  const first = parse(net.registryText()) as Doc;
  first.version = 1;
  first.threshold = 'majority';
  first.members.find((m: Doc) => m.id === 'beta').revocations = { jti: [], issuedBefore: '2100-01-01T00:00:00Z' };
  writeFileSync(file, stringify(first));
  copyFileSync(file, join(dir, 'accepted.yaml'));
  pin = readRegistryVersion(readFileSync(file, 'utf8')).hash;
  gateway = await createGateway({
    registryFile: file,
    port: 0,
    gatewayId: GATEWAY_ID,
    signingKey: net.gatewayKey,
    logger: quietLogger(),
    registryPollMs: 100,
    responseCacheTtlSeconds: 0,
    registryPin: pin,
    ...signed,
  });
  member = await serveMember(
    {
      memberId: 'alpha',
      languages: ['en'],
      port: 0,
      host: '127.0.0.1',
      registryFile: file,
      registryPin: pin,
      databaseSchema: 'unused',
      acceptDirectTokens: false,
      callerPolicy: 'asserted',
      ...signed,
    },
    { logger: quietLogger(), orm: net.orms.get('alpha'), signingKey: net.keys.get('alpha') },
  );
});
afterAll(async () => {
  await member?.stop();
  await gateway?.stop();
  await net?.stop();
});

describe('an attacker who can write the registry file but holds one member key (threshold 2)', () => {
  const stolen = () => new Map([...net.keys, ['evil', attackerKey]]);

  it('starts from the pinned first version, at the gateway and at the member', async () => {
    expect((await readyOf(gateway.url.replace(/\/graphql$/, ''))).registry).toMatchObject({ signatures: 'on', accepted: { version: 1, hash: pin } });
    expect((await readyOf(base(member))).registry).toMatchObject({ signatures: 'on', accepted: { version: 1, hash: pin } });
  });

  it('cannot add a member, even one that signs with its own new key', async () => {
    const hash = await write(
      (d) => {
        d.version = 2;
        d.members.push({ id: 'evil', name: 'Evil', region: 'X', url: 'http://127.0.0.1:9/graphql', keys: [publicPart(attackerKey)] });
      },
      ['gamma', 'evil'],
      stolen(),
    );
    const [gw, mb] = await settled(hash, 'refused');
    for (const state of [gw, mb]) {
      expect(state.registry.accepted.hash).toBe(pin);
      expect(state.registry.lastRefusal.reasons).toEqual(['signed by 1 member(s) of the accepted registry (gamma); 2 needed']);
    }
    expect(gateway.registry.registry.members.map((m) => m.id)).toEqual(['alpha', 'beta', 'gamma']);
    expect(await refusals(gateway.url.replace(/\/graphql$/, ''), 'under_signed')).toBeGreaterThanOrEqual(1);
    expect(await refusals(base(member), 'under_signed')).toBeGreaterThanOrEqual(1);
  });

  it("cannot change a member's keys or URL", async () => {
    for (const edit of [(m: Doc) => (m.keys = [publicPart(attackerKey)]), (m: Doc) => (m.url = 'http://127.0.0.1:9/graphql')]) {
      const hash = await write(
        (d) => {
          d.version = 2;
          edit(d.members.find((m: Doc) => m.id === 'alpha'));
        },
        ['gamma'],
      );
      const states = await settled(hash, 'refused');
      for (const s of states) expect(s.registry.accepted.hash).toBe(pin);
    }
    expect(gateway.registry.registry.members.find((m) => m.id === 'alpha')!.url).toBe(net.members.get('alpha')!.url);
  });

  it('cannot remove a revocation: the revoked token stays refused at the gateway', async () => {
    const hash = await write(
      (d) => {
        d.version = 2;
        d.members.find((m: Doc) => m.id === 'beta').revocations = { jti: [] };
      },
      ['gamma'],
    );
    await settled(hash, 'refused');
    const res = await post(gateway.url, '{ services { id } }', { token: await net.token('beta') });
    expect(res.status).toBe(401);
  });
});

describe('a change the members signed', () => {
  it('takes effect at both services when the threshold signed it; the old version cannot be replayed, also after a restart', async () => {
    const hash = await write(
      (d) => {
        d.version = 2;
        d.members.find((m: Doc) => m.id === 'gamma').name = 'Gamma collective';
      },
      ['alpha', 'beta'],
    );
    await settled(hash, 'accepted');
    expect(gateway.registry.registry.members.find((m) => m.id === 'gamma')!.name).toBe('Gamma collective');
    const accepted = readFileSync(file, 'utf8');

    // the first version, signed by everyone when it was current, replayed
    const replay = readFileSync(join(dir, 'accepted.yaml'), 'utf8');
    const first = readRegistryVersion(replay);
    const doc = parse(replay) as Doc;
    doc.signatures = await Promise.all(['alpha', 'beta', 'gamma'].map((id) => signRegistryVersion(first, id, net.keys.get(id)!)));
    writeFileSync(file, stringify(doc));
    const states = await settled(pin, 'refused');
    for (const s of states) expect(s.registry).toMatchObject({ accepted: { version: 2, hash }, lastRefusal: { reasons: ['version 1 is not newer than the accepted version 2'] } });

    // a restart (no pin now: the stored state is the anchor) keeps version 2 and still refuses the replay
    await gateway.stop();
    gateway = await createGateway({
      registryFile: file,
      port: 0,
      gatewayId: GATEWAY_ID,
      signingKey: net.gatewayKey,
      logger: quietLogger(),
      registryPollMs: 100,
      responseCacheTtlSeconds: 0,
      ...signed,
    });
    expect((await readyOf(gateway.url.replace(/\/graphql$/, ''))).registry).toMatchObject({ accepted: { version: 2, hash }, lastRefusal: { hash: pin } });
    writeFileSync(file, accepted);
  });

  it('a production service without a pin or a stored version refuses to start, and names the hash to pin', async () => {
    const fresh = join(mkdtempSync(join(tmpdir(), 'infrared-unpinned-')), 'network.yaml');
    copyFileSync(join(dir, 'accepted.yaml'), fresh);
    await expect(createGateway({ registryFile: fresh, port: 0, logger: quietLogger(), ...signed })).rejects.toThrow(`set INFRARED_REGISTRY_PIN=${pin}`);
    await expect(createGateway({ registryFile: fresh, port: 0, logger: quietLogger(), registryPin: `sha256:${'0'.repeat(64)}`, ...signed })).rejects.toThrow('not the pinned first version');
  });
});
