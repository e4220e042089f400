import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { freezeClock, setClock, thawClock } from '../../test/support/frozen-clock';
import type { Caller } from '../caller';
import { authRefusal } from '../../test/support/auth-refusal';
import { ASSERTION_TTL_S, BATCH_ASSERTION_TYP, bodyHash, verifyAssertion } from './assertion';
import { AssertionBatcher, MAX_BATCH_CALLS, type SubRequestAssertion } from './assertion-batch';
import { decodeProof, encodeProof, MAX_PROOF_CHARS, MAX_PROOF_LEVELS, merkleLeaf, merkleTree } from './assertion-merkle';
import { AssertionSigner } from './assertion-signer';
import { createKeyPair, importKey, publicPart, type PrivateJwk } from './keys';
import { MemoryReplayCache } from './replay-cache';

/**
 * Batch assertions: one gateway signature over a Merkle root for the member calls of one turn,
 * a proof per call. Real Ed25519 and P-256 signatures, verified as a member verifies them, and
 * every way a member (or anyone in between) could bend a proof refused.
 */
const GATEWAY = 'gw';
const ANA: Caller = { anonymous: false, member: 'beta', subject: 'ana', scopes: ['read'] };
const BODY = '{"query":"{ services { id } }"}';

let key: PrivateJwk;
let pub: JWK & { kid: string };
let rogue: PrivateJwk;
let batcher: AssertionBatcher;

beforeAll(async () => {
  ({ privateJwk: key, publicJwk: pub } = await createKeyPair());
  ({ privateJwk: rogue } = await createKeyPair());
});
beforeEach(() => {
  batcher = new AssertionBatcher(new AssertionSigner(key, GATEWAY));
});

/** `member` verifying what it received, as trust.ts does (the proof header, if any, beside it). */
const verify = (sent: SubRequestAssertion, member: string, opts: { body?: string; replay?: MemoryReplayCache; proof?: string | null; keys?: (JWK & { kid: string })[] } = {}) =>
  verifyAssertion(sent.assertion, {
    member,
    body: Buffer.from(opts.body ?? BODY),
    replay: opts.replay ?? new MemoryReplayCache(),
    gateways: (id) => (id === GATEWAY ? (opts.keys ?? [pub]) : undefined),
    proof: opts.proof === null ? undefined : (opts.proof ?? sent.proof),
  });

const refusal = async (p: Promise<unknown>): Promise<string> => (await authRefusal(p)).reason;

/** One turn of calls to `members` (one body each unless given), as the fan-out makes them. */
function turn(members: string[], caller: Caller = ANA, body = BODY): Promise<SubRequestAssertion[]> {
  return Promise.all(members.map((member) => batcher.assert({ member, caller, body })));
}

const members = (n: number) => Array.from({ length: n }, (_, i) => `m${i}`);

/** A proof with one step changed by `edit`. */
function editProof(proof: string, edit: (p: ReturnType<typeof decodeProof>) => void): string {
  const decoded = decodeProof(proof);
  decoded.steps = decoded.steps.map((s) => ({ side: s.side, sibling: Buffer.from(s.sibling) }));
  edit(decoded);
  return encodeProof(decoded.nonce, decoded.steps);
}

describe('the Merkle tree', () => {
  it.each([2, 3, 5, 7, 8, 33])('every one of %i leaves folds to the root, an odd last node is promoted, not duplicated', (n) => {
    const leaves = Array.from({ length: n }, (_, i) => merkleLeaf(`m${i}`, 'bh', `nonce${i}`));
    const { root, paths } = merkleTree(leaves);
    for (let i = 0; i < n; i++) {
      let node = leaves[i];
      for (const step of paths[i]) {
        const proofOf = merkleTree(step.side === 'L' ? [step.sibling, node] : [node, step.sibling]);
        node = proofOf.root;
      }
      expect(node.equals(root)).toBe(true);
    }
    // three leaves: the third is paired only at the top (one step), never with itself
    if (n === 3) expect(paths[2].length).toBe(1);
  });

  it('hashes exactly as specified: leaf SHA-256(0x00 ‖ JSON [aud, bh, nonce]), node SHA-256(0x01 ‖ left ‖ right)', () => {
    const leaf = merkleLeaf('alpha', 'bh', 'n1');
    expect(leaf).toEqual(
      createHash('sha256')
        .update(Buffer.from([0]))
        .update('["alpha","bh","n1"]')
        .digest(),
    );
    const other = merkleLeaf('beta', 'bh', 'n2');
    expect(merkleTree([leaf, other]).root).toEqual(
      createHash('sha256')
        .update(Buffer.from([1]))
        .update(leaf)
        .update(other)
        .digest(),
    );
  });

  it('separates leaves from inner nodes: a two-leaf root is not the leaf hash of the two leaves', () => {
    const a = merkleLeaf('a', 'bh', 'n1');
    const b = merkleLeaf('b', 'bh', 'n2');
    const { root } = merkleTree([a, b]);
    expect(root.equals(a)).toBe(false);
    expect(root.equals(merkleTree([b, a]).root)).toBe(false);
  });
});

describe.each([
  ['EdDSA', async () => (await createKeyPair()).privateJwk],
  [
    'ES256',
    async (): Promise<PrivateJwk> => {
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      return { ...(await exportJWK(privateKey)), kid: await calculateJwkThumbprint(await exportJWK(publicKey), 'sha256'), alg: 'ES256' } as PrivateJwk;
    },
  ],
])('batch assertions signed with %s', (alg, makeKey) => {
  let own: PrivateJwk;
  beforeAll(async () => {
    own = await makeKey();
  });

  it('signs a turn of calls for one caller once; each member verifies its own call, the caller asserted', async () => {
    const b = new AssertionBatcher(new AssertionSigner(own, GATEWAY));
    const sent = await Promise.all(members(5).map((member) => b.assert({ member, caller: ANA, body: BODY })));
    expect(b.stats).toEqual({ batches: 1, calls: 5 });
    expect(new Set(sent.map((s) => s.assertion)).size).toBe(1);
    expect(decodeProtectedHeader(sent[0].assertion)).toEqual({ alg, kid: own.kid, typ: BATCH_ASSERTION_TYP });
    const claims = decodeJwt(sent[0].assertion);
    expect(claims).not.toHaveProperty('aud');
    expect(claims).not.toHaveProperty('bh');
    expect(typeof claims.mr).toBe('string');
    for (const [i, s] of sent.entries()) {
      await expect(
        verifyAssertion(s.assertion, { member: `m${i}`, body: Buffer.from(BODY), replay: new MemoryReplayCache(), proof: s.proof, gateways: () => [publicPart(own) as never] }),
      ).resolves.toEqual(ANA);
    }
  });
});

describe('batching', () => {
  it('a batch of one is the classic assertion (aud, bh), without a proof', async () => {
    const [only] = await turn(['alpha']);
    expect(only.proof).toBeUndefined();
    expect(decodeProtectedHeader(only.assertion).typ).toBe('infrared-assertion+jwt');
    expect(decodeJwt(only.assertion)).toMatchObject({ aud: 'alpha', bh: bodyHash(BODY) });
    await expect(verify(only, 'alpha')).resolves.toEqual(ANA);
  });

  it('groups by caller: two callers in one turn get two signatures, each valid only for its own caller', async () => {
    const other: Caller = { anonymous: false, member: 'gamma', subject: 'bo', scopes: [] };
    const [a1, b1, a2, b2] = await Promise.all([
      batcher.assert({ member: 'alpha', caller: ANA, body: BODY }),
      batcher.assert({ member: 'alpha', caller: other, body: BODY }),
      batcher.assert({ member: 'beta', caller: ANA, body: BODY }),
      batcher.assert({ member: 'beta', caller: other, body: BODY }),
    ]);
    expect(batcher.stats).toEqual({ batches: 2, calls: 4 });
    expect(a1.assertion).toBe(a2.assertion);
    expect(b1.assertion).toBe(b2.assertion);
    expect(a1.assertion).not.toBe(b1.assertion);
    await expect(verify(a1, 'alpha')).resolves.toEqual(ANA);
    await expect(verify(b2, 'beta')).resolves.toEqual(other);
    // one caller's proof under the other caller's signature leads elsewhere
    expect(await refusal(verify({ assertion: b1.assertion, proof: a1.proof }, 'alpha'))).toMatch(/proof does not lead/);
  });

  it('calls of separate turns are separate batches', async () => {
    await turn(members(3));
    await turn(members(3));
    expect(batcher.stats).toEqual({ batches: 2, calls: 6 });
  });

  it(`puts at most ${MAX_BATCH_CALLS} calls under one signature (proofs of 12 levels at most)`, async () => {
    const sent = await turn(members(MAX_BATCH_CALLS + 1));
    expect(batcher.stats).toEqual({ batches: 2, calls: MAX_BATCH_CALLS + 1 });
    expect(Math.max(...sent.slice(0, MAX_BATCH_CALLS).map((s) => decodeProof(s.proof!).steps.length))).toBe(12);
    // the one left over is a batch of one: the classic form
    expect(sent[MAX_BATCH_CALLS].proof).toBeUndefined();
    await expect(verify(sent[MAX_BATCH_CALLS], `m${MAX_BATCH_CALLS}`)).resolves.toEqual(ANA);
  });

  it('gives every leaf its own 128-bit nonce, and proofs of about log2(n) levels (500 calls: 9)', async () => {
    const sent = await turn(members(500));
    const proofs = sent.map((s) => decodeProof(s.proof!));
    expect(new Set(proofs.map((p) => p.nonce)).size).toBe(500);
    expect(Math.max(...proofs.map((p) => p.steps.length))).toBe(9);
    expect(Math.max(...sent.map((s) => s.proof!.length))).toBeLessThan(420);
  });
});

describe('a member refuses a bent batch assertion', () => {
  let sent: SubRequestAssertion[];
  beforeEach(async () => {
    sent = await turn(['alpha', 'beta', 'gamma', 'delta', 'epsilon']);
  });

  it("member A's proof presented at member B (B computes its leaf from its own id)", async () => {
    expect(await refusal(verify(sent[0], 'beta'))).toMatch(/proof does not lead/);
  });

  it("member A forging B's proof: its own sibling path with another nonce, or B's leaf hash as a sibling", async () => {
    // A knows the sibling hashes in its own proof, but not the nonce behind B's leaf
    const ofA = decodeProof(sent[0].proof!);
    const guessed = editProof(sent[0].proof!, (p) => (p.nonce = Buffer.alloc(16, 7).toString('base64url')));
    expect(await refusal(verify({ ...sent[0], proof: guessed }, 'beta'))).toMatch(/proof does not lead/);
    // B's leaf hash (A's first sibling) as if it were a leaf: a leaf is never an inner node
    const promoted = encodeProof(ofA.nonce, ofA.steps.slice(1));
    expect(await refusal(verify({ ...sent[0], proof: promoted }, 'beta'))).toMatch(/proof does not lead/);
  });

  it('a tampered sibling', async () => {
    const tampered = editProof(sent[2].proof!, (p) => (p.steps[0].sibling[0] ^= 1));
    expect(await refusal(verify({ ...sent[2], proof: tampered }, 'gamma'))).toMatch(/proof does not lead/);
  });

  it('a flipped side', async () => {
    const flipped = editProof(sent[2].proof!, (p) => (p.steps[0].side = p.steps[0].side === 'L' ? 'R' : 'L'));
    expect(await refusal(verify({ ...sent[2], proof: flipped }, 'gamma'))).toMatch(/proof does not lead/);
  });

  it('an altered nonce', async () => {
    const altered = editProof(sent[1].proof!, (p) => {
      const bytes = Buffer.from(p.nonce, 'base64url');
      bytes[0] ^= 1;
      p.nonce = bytes.toString('base64url');
    });
    expect(await refusal(verify({ ...sent[1], proof: altered }, 'beta'))).toMatch(/proof does not lead/);
  });

  it('an altered body', async () => {
    expect(await refusal(verify(sent[1], 'beta', { body: '{"query":"{ projects { id } }"}' }))).toMatch(/proof does not lead/);
  });

  it('a dropped or added step', async () => {
    const dropped = editProof(sent[1].proof!, (p) => p.steps.pop());
    expect(await refusal(verify({ ...sent[1], proof: dropped }, 'beta'))).toMatch(/proof does not lead/);
    const added = editProof(sent[1].proof!, (p) => p.steps.push({ side: 'R', sibling: Buffer.alloc(32) }));
    expect(await refusal(verify({ ...sent[1], proof: added }, 'beta'))).toMatch(/proof does not lead/);
  });

  it('a proof too long (more than 24 levels, or an oversized header) or malformed, before any hashing', async () => {
    const nonce = Buffer.alloc(16).toString('base64url');
    const tooDeep = encodeProof(
      nonce,
      Array.from({ length: MAX_PROOF_LEVELS + 1 }, () => ({ side: 'L' as const, sibling: Buffer.alloc(32) })),
    );
    expect(await refusal(verify({ ...sent[0], proof: tooDeep }, 'alpha'))).toMatch(/too long|levels/);
    expect(await refusal(verify({ ...sent[0], proof: `${sent[0].proof!}${'A'.repeat(MAX_PROOF_CHARS)}` }, 'alpha'))).toMatch(/too long/);
    for (const bad of [
      '',
      'x',
      `${nonce}.L.`,
      `${nonce}.LX.${Buffer.alloc(64).toString('base64url')}`,
      `${nonce}.LL.${Buffer.alloc(32).toString('base64url')}`,
      `AAAA.L.${Buffer.alloc(32).toString('base64url')}`,
      `${sent[0].proof!}, ${sent[0].proof!}`,
    ]) {
      expect(await refusal(verify({ ...sent[0], proof: bad }, 'alpha'))).toMatch(/proof refused/);
    }
  });

  it('a root not signed by a trusted gateway: a member that builds its own tree and signs it', async () => {
    const forger = new AssertionBatcher(new AssertionSigner(rogue, GATEWAY));
    const forged = await Promise.all(['alpha', 'beta'].map((member) => forger.assert({ member, caller: { anonymous: false, member: 'alpha', subject: 'root', scopes: ['write'] }, body: BODY })));
    expect(await refusal(verify(forged[1], 'beta'))).toMatch(/key not trusted/);
    // the forger's key under its own name is not a trusted gateway either
    const elsewhere = new AssertionBatcher(new AssertionSigner(rogue, 'alpha'));
    const [x] = await Promise.all(['alpha', 'beta'].map((member) => elsewhere.assert({ member, caller: ANA, body: BODY })));
    expect(await refusal(verify(x, 'alpha'))).toMatch(/untrusted gateway/);
    // a genuine signature with the root edited is a broken signature
    const [h, p, s] = sent[0].assertion.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const edited = `${h}.${Buffer.from(JSON.stringify({ ...claims, mr: Buffer.alloc(32).toString('base64url') })).toString('base64url')}.${s}`;
    expect(await refusal(verify({ ...sent[0], assertion: edited }, 'alpha'))).toMatch(/signature/);
  });

  it('a batch assertion without its proof; a classic assertion with a proof', async () => {
    expect(await refusal(verify(sent[0], 'alpha', { proof: null }))).toMatch(/without its proof/);
    const [classic] = await turn(['alpha']);
    expect(await refusal(verify({ ...classic, proof: sent[0].proof }, 'alpha'))).toMatch(/proof beside a single-call/);
  });

  it('a JWS with both aud and mr, or mr under the classic typ, or the batch typ without mr', async () => {
    const now = Math.floor(Date.now() / 1000);
    const mr = decodeJwt(sent[0].assertion).mr;
    const jws = async (claims: Record<string, unknown>, typ: string) =>
      new SignJWT({ caller: { member: 'beta', sub: 'ana', scopes: ['read'] }, iss: GATEWAY, iat: now, exp: now + 30, jti: 'j1', ...claims })
        .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ })
        .sign(await importKey(key));
    const both = await jws({ mr, aud: 'alpha' }, BATCH_ASSERTION_TYP);
    expect(await refusal(verify({ assertion: both, proof: sent[0].proof }, 'alpha'))).toMatch(/beside an audience/);
    const mislabelled = await jws({ mr }, 'infrared-assertion+jwt');
    expect(await refusal(verify({ assertion: mislabelled, proof: sent[0].proof }, 'alpha'))).toMatch(/typ/);
    const noRoot = await jws({ aud: 'alpha', bh: bodyHash(BODY) }, BATCH_ASSERTION_TYP);
    expect(await refusal(verify({ assertion: noRoot }, 'alpha'))).toMatch(/typ/);
    // the same claims, well formed, are accepted: the refusals above are for the rule, not the signing
    await expect(verify({ assertion: await jws({ mr }, BATCH_ASSERTION_TYP), proof: sent[0].proof }, 'alpha')).resolves.toEqual(ANA);
  });
});

describe('replay', () => {
  it('a replayed leaf is refused; the other leaves of the batch are not affected', async () => {
    const sent = await turn(['alpha', 'beta', 'gamma']);
    const replay = new MemoryReplayCache();
    await expect(verify(sent[0], 'alpha', { replay })).resolves.toEqual(ANA);
    expect(await refusal(verify(sent[0], 'alpha', { replay }))).toMatch(/replayed/);
    await expect(verify(sent[1], 'beta', { replay })).resolves.toEqual(ANA);
  });

  it('two leaves of one batch at the same member (two calls, one turn) are each accepted once', async () => {
    const other = '{"query":"{ _entities { id } }"}';
    const [first, second, third] = await Promise.all([
      batcher.assert({ member: 'alpha', caller: ANA, body: BODY }),
      batcher.assert({ member: 'alpha', caller: ANA, body: BODY }),
      batcher.assert({ member: 'alpha', caller: ANA, body: other }),
    ]);
    expect(first.assertion).toBe(second.assertion);
    const replay = new MemoryReplayCache();
    await expect(verify(first, 'alpha', { replay })).resolves.toEqual(ANA);
    await expect(verify(second, 'alpha', { replay })).resolves.toEqual(ANA);
    await expect(verify(third, 'alpha', { replay, body: other })).resolves.toEqual(ANA);
    expect(await refusal(verify(first, 'alpha', { replay }))).toMatch(/replayed/);
    expect(await refusal(verify(second, 'alpha', { replay }))).toMatch(/replayed/);
  });
});

describe('the batch assertion on a frozen clock', () => {
  const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
  beforeEach(() => freezeClock(T0));
  afterEach(() => thawClock());

  it('is accepted until 4 s past exp and refused from 5 s past exp, like the classic form', async () => {
    const at = async (t: number) => {
      setClock(T0);
      const sent = await turn(['alpha', 'beta']);
      setClock(T0 + t * 1000);
      return verify(sent[1], 'beta');
    };
    await expect(at(ASSERTION_TTL_S + 4)).resolves.toEqual(ANA);
    expect(await refusal(at(ASSERTION_TTL_S + 5))).toMatch(/expired/);
  });
});
