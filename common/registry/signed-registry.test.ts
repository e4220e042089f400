import { stringify } from 'yaml';
import { createKeyPair, publicPart, type PrivateJwk } from '../auth/keys';
import { checkTransition, contentHash, readRegistryVersion, requiredSigners, signRegistryVersion, type RegistryVersion } from './signed-registry';

type Doc = Record<string, any>;
const ids = ['ar', 'br', 'cl', 'de', 'ee'];
const keys = new Map<string, PrivateJwk>();
let accepted: RegistryVersion;

const entry = (id: string, key = keys.get(id)!) => ({ id, name: id, region: 'Test', url: `https://${id}.example/graphql`, keys: [publicPart(key)] });
const base = (): Doc => ({ network: { id: 'net', name: 'Net' }, version: 1, threshold: 3, members: ids.map((id) => entry(id)), gateways: [] });

/** A candidate from the accepted document, edited, with the named members' signatures. */
async function candidate(edit: (doc: Doc) => void, signers: string[], signingKeys: Map<string, PrivateJwk> = keys): Promise<RegistryVersion> {
  const doc = base();
  doc.version = 2;
  edit(doc);
  const unsigned = readRegistryVersion(stringify(doc));
  doc.signatures = await Promise.all(signers.map((id) => signRegistryVersion(unsigned, id, signingKeys.get(id)!)));
  return readRegistryVersion(stringify(doc));
}

beforeAll(async () => {
  for (const id of [...ids, 'newcomer', 'outsider']) keys.set(id, (await createKeyPair()).privateJwk);
  accepted = readRegistryVersion(stringify(base()));
});

describe('the registry content and its hash', () => {
  it('hashes the RFC 8785 canonical JSON of the document without its signatures, whatever the key order or YAML style', async () => {
    const reordered = readRegistryVersion(JSON.stringify({ gateways: [], members: base().members, threshold: 3, version: 1, network: { name: 'Net', id: 'net' } }));
    expect(reordered.hash).toBe(accepted.hash);
    const signed = await candidate((d) => (d.version = 1), ['ar']);
    expect(signed.hash).toBe(accepted.hash);
    expect(contentHash({ a: 1 })).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('counts a majority of the accepted members, or the integer threshold', () => {
    expect(requiredSigners(accepted.registry)).toBe(3);
    expect(requiredSigners(readRegistryVersion(stringify({ ...base(), threshold: 'majority' })).registry)).toBe(3);
    expect(requiredSigners(readRegistryVersion(stringify({ ...base(), threshold: 'majority', members: base().members.slice(0, 4) })).registry)).toBe(3);
  });
});

describe('a new version takes effect only when the members of the accepted version signed it', () => {
  it('accepts a change signed by the threshold', async () => {
    const next = await candidate((d) => (d.members[0].name = 'Ar collective'), ['ar', 'br', 'cl']);
    const report = await checkTransition(accepted, next);
    expect(report).toMatchObject({ acceptable: true, signers: ['ar', 'br', 'cl'], needed: 3, problems: [] });
  });

  it('refuses an unsigned or under-signed version', async () => {
    expect(await checkTransition(accepted, await candidate((d) => (d.members[0].name = 'x'), []))).toMatchObject({ acceptable: false, reason: 'under_signed' });
    const two = await checkTransition(accepted, await candidate((d) => (d.members[0].name = 'x'), ['ar', 'br']));
    expect(two).toMatchObject({ acceptable: false, reason: 'under_signed', signers: ['ar', 'br'] });
    expect(two.problems[0]).toContain('3 needed');
  });

  it('counts one member once, however many times it signs', async () => {
    const next = await candidate((d) => (d.members[0].name = 'x'), ['ar', 'ar', 'ar']);
    expect(await checkTransition(accepted, next)).toMatchObject({ acceptable: false, signers: ['ar'] });
  });

  it("does not count a forged signature (another key under the member's name and kid)", async () => {
    const forger = new Map(keys);
    forger.set('cl', { ...keys.get('outsider')!, kid: keys.get('cl')!.kid });
    const next = await candidate((d) => (d.members[0].name = 'x'), ['ar', 'br', 'cl'], forger);
    const report = await checkTransition(accepted, next);
    expect(report.acceptable).toBe(false);
    expect(report.signatures.find((s) => s.member === 'cl')).toEqual({ member: 'cl', counted: false, problem: 'signature does not verify' });
  });

  it('does not count a signature by a non-member', async () => {
    const next = await candidate((d) => (d.members[0].name = 'x'), ['ar', 'br', 'outsider']);
    const report = await checkTransition(accepted, next);
    expect(report.acceptable).toBe(false);
    expect(report.signatures.find((s) => s.member === 'outsider')).toMatchObject({ counted: false, problem: 'not a member of the accepted registry' });
  });

  it('does not count a stale signature over another version', async () => {
    const older = await candidate((d) => (d.members[0].name = 'first draft'), ['cl']);
    const next = await candidate((d) => (d.members[0].name = 'second draft'), ['ar', 'br']);
    const doc = { ...(next.content as Doc), signatures: [...next.registry.signatures, ...older.registry.signatures] };
    const report = await checkTransition(accepted, readRegistryVersion(stringify(doc)));
    expect(report.acceptable).toBe(false);
    expect(report.signatures.find((s) => s.member === 'cl')?.problem).toMatch(/^stale: it signs another version/);
  });

  it('refuses a version that is not newer: a replayed, previously accepted version cannot roll back', async () => {
    const v2 = await candidate((d) => (d.members[0].name = 'x'), ['ar', 'br', 'cl']);
    expect((await checkTransition(accepted, v2)).acceptable).toBe(true);
    const v1Replayed = await candidate((d) => (d.version = 1), ['ar', 'br', 'cl', 'de']);
    const report = await checkTransition(v2, v1Replayed);
    expect(report).toMatchObject({ acceptable: false, reason: 'not_newer' });
    const sameNumber = await candidate((d) => (d.members[1].name = 'y'), ['ar', 'br', 'cl']);
    expect(await checkTransition(v2, sameNumber)).toMatchObject({ acceptable: false, reason: 'not_newer' });
  });

  it('needs the old threshold to change the threshold', async () => {
    const lowered = await candidate((d) => (d.threshold = 1), ['ar']);
    expect(await checkTransition(accepted, lowered)).toMatchObject({ acceptable: false, reason: 'under_signed' });
    const agreed = await candidate((d) => (d.threshold = 1), ['ar', 'br', 'cl']);
    expect((await checkTransition(accepted, agreed)).acceptable).toBe(true);
  });
});

describe("a member's own entry", () => {
  it("refuses a change of a member's keys or URL without that member, even with the threshold", async () => {
    const attackerKey = keys.get('outsider')!;
    for (const edit of [(d: Doc) => (d.members[4] = entry('ee', attackerKey)), (d: Doc) => (d.members[4].url = 'https://evil.example/graphql')]) {
      const report = await checkTransition(accepted, await candidate(edit, ['ar', 'br', 'cl', 'de']));
      expect(report).toMatchObject({ acceptable: false, reason: 'own_entry_unsigned' });
      expect(report.problems[0]).toMatch(/^"ee": (keys|url) changed without ee's signature/);
    }
  });

  it('rotates a key: the member signs with its CURRENT key, and the threshold agrees', async () => {
    const rotated = (await createKeyPair()).privateJwk;
    const withNewKeyOnly = new Map(keys);
    withNewKeyOnly.set('ee', rotated);
    const signedWithNew = await candidate((d) => (d.members[4] = entry('ee', rotated)), ['ar', 'br', 'ee'], withNewKeyOnly);
    const refused = await checkTransition(accepted, signedWithNew);
    expect(refused.acceptable).toBe(false);
    expect(refused.signatures.find((s) => s.member === 'ee')?.problem).toMatch(/is not ee's key in the accepted registry/);
    const signedWithCurrent = await candidate((d) => (d.members[4] = entry('ee', rotated)), ['ar', 'br', 'ee']);
    expect(await checkTransition(accepted, signedWithCurrent)).toMatchObject({ acceptable: true, signers: ['ar', 'br', 'ee'] });
  });

  it('removing a revocation needs the threshold and the member', async () => {
    const revoked = readRegistryVersion(
      stringify({ ...base(), members: base().members.map((m: Doc) => (m.id === 'ar' ? { ...m, revocations: { jti: ['t-1'], issuedBefore: '2026-01-01T00:00:00Z' } } : m)) }),
    );
    const unrevoke = async (signers: string[]) => {
      const doc = { ...(revoked.content as Doc), version: 2, members: (revoked.content.members as Doc[]).map((m) => (m.id === 'ar' ? { ...m, revocations: { jti: [] } } : m)) };
      const unsigned = readRegistryVersion(stringify(doc));
      return readRegistryVersion(stringify({ ...doc, signatures: await Promise.all(signers.map((id) => signRegistryVersion(unsigned, id, keys.get(id)!))) }));
    };
    expect(await checkTransition(revoked, await unrevoke(['ar', 'br']))).toMatchObject({ acceptable: false, reason: 'under_signed' });
    expect(await checkTransition(revoked, await unrevoke(['br', 'cl', 'de']))).toMatchObject({ acceptable: false, reason: 'own_entry_unsigned' });
    expect((await checkTransition(revoked, await unrevoke(['ar', 'br', 'cl']))).acceptable).toBe(true);
  });
});

describe("adding a revocation to one's own entry", () => {
  const revoke = (id: string, revocations: Doc) => (d: Doc) => (d.members.find((m: Doc) => m.id === id).revocations = revocations);

  it('needs only that member: a stolen token is revoked at once', async () => {
    const report = await checkTransition(accepted, await candidate(revoke('ar', { jti: ['stolen'], issuedBefore: '2026-11-30T00:00:00Z' }), ['ar']));
    expect(report).toMatchObject({ acceptable: true, needed: 0 });
  });

  it("is not a way around the threshold: another member's revocations, or any other change alongside, need the threshold", async () => {
    expect(await checkTransition(accepted, await candidate(revoke('br', { jti: ['x'] }), ['ar']))).toMatchObject({ acceptable: false, reason: 'under_signed' });
    const alongside = await candidate(
      (d) => {
        revoke('ar', { jti: ['stolen'] })(d);
        d.members[1].name = 'renamed';
      },
      ['ar'],
    );
    expect(await checkTransition(accepted, alongside)).toMatchObject({ acceptable: false, reason: 'under_signed', needed: 3 });
    const newer = readRegistryVersion(stringify({ ...base(), version: 2, members: base().members.map((m: Doc) => (m.id === 'ar' ? { ...m, revocations: { jti: ['a'] } } : m)) }));
    const swapped = readRegistryVersion(
      stringify({ ...(newer.content as Doc), version: 3, members: (newer.content.members as Doc[]).map((m) => (m.id === 'ar' ? { ...m, revocations: { jti: ['b'] } } : m)) }),
    );
    const signedSwap = readRegistryVersion(stringify({ ...(swapped.content as Doc), signatures: [await signRegistryVersion(swapped, 'ar', keys.get('ar')!)] }));
    expect(await checkTransition(newer, signedSwap)).toMatchObject({ acceptable: false, reason: 'under_signed' });
  });
});

describe('a new member', () => {
  it('joins with the threshold and its own signature with its new key', async () => {
    const join = (d: Doc) => d.members.push(entry('newcomer'));
    expect(await checkTransition(accepted, await candidate(join, ['ar', 'br', 'cl']))).toMatchObject({ acceptable: false, reason: 'new_member_unsigned' });
    expect(await checkTransition(accepted, await candidate(join, ['ar', 'br', 'newcomer']))).toMatchObject({ acceptable: false, reason: 'under_signed' });
    const report = await checkTransition(accepted, await candidate(join, ['ar', 'br', 'cl', 'newcomer']));
    expect(report).toMatchObject({ acceptable: true, signers: ['ar', 'br', 'cl'] });
  });
});
