import { createKeyPair } from './keys';
import { issueCallerToken, verifyCallerToken } from './caller-token';
import { signAssertion, verifyAssertion } from './assertion';
import { assertCanonicalCompactJws, canonicalBase64urlBytes, isCanonicalBase64url } from './canonical-jws';
import { AssertionBatcher } from './assertion-batch';
import { encodeProof, decodeProof } from './assertion-merkle';
import { AssertionSigner } from './assertion-signer';
import { AuthError } from './errors';
import { MemoryReplayCache } from './replay-cache';

/** Every other text a lenient base64url decoder reads as the same bytes as `part`. */
function aliases(part: string): string[] {
  const out = [`${part}=`, `${part}==`, part.replace(/-/g, '+').replace(/_/g, '/')].filter((p) => p !== part);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(part[part.length - 1]);
  const spare = part.length % 4 === 2 ? 4 : part.length % 4 === 3 ? 2 : 0; // bits the decoder drops
  for (let bits = 1; bits < 2 ** spare; bits++) out.push(part.slice(0, -1) + alphabet[last ^ bits]);
  return out.filter((p) => Buffer.from(p, 'base64url').equals(Buffer.from(part, 'base64url')) || p.includes('='));
}

describe('canonical base64url', () => {
  it('accepts canonical parts and refuses padding, foreign characters, impossible lengths and trailing bits', () => {
    for (const ok of ['', 'AQ', 'AQI', 'AQID', 'AAEC_-8']) expect([ok, isCanonicalBase64url(ok)]).toEqual([ok, true]);
    for (const bad of ['AQ==', 'AQ=', 'A+Q', 'A/Q', 'A Q', 'AR', 'AQJ', 'A', 'AQIDB', 'AQ.']) expect([bad, isCanonicalBase64url(bad)]).toEqual([bad, false]);
  });

  it('gives the bytes of a canonical part (the ones checked), and nothing for every part it refuses', () => {
    for (const ok of ['', 'AQ', 'AQI', 'AQID', 'AAEC_-8']) expect(canonicalBase64urlBytes(ok)).toEqual(Buffer.from(ok, 'base64url'));
    for (const bad of ['AQ==', 'AQ=', 'A+Q', 'A/Q', 'A Q', 'AR', 'AQJ', 'A', 'AQIDB', 'AQ.']) expect([bad, canonicalBase64urlBytes(bad)]).toEqual([bad, undefined]);
  });

  it('refuses a compact JWS with an empty header or signature, or not three parts', () => {
    for (const bad of ['a.b', 'a.b.c.d', '.e30.AQ', 'e30.e30.']) expect(() => assertCanonicalCompactJws(bad, 'token')).toThrow(AuthError);
  });

  it('a caller token with a non-canonical signature (same bytes, other text) is refused; the original is accepted', async () => {
    const { privateJwk, publicJwk } = await createKeyPair();
    const token = await issueCallerToken({ key: privateJwk, member: 'alpha', subject: 'ana', scopes: ['read'], audience: 'net', ttlSeconds: 600 });
    const verify = (t: string) => verifyCallerToken(t, { audience: 'net', issuer: () => ({ keys: [publicJwk as never], revokedJti: [] }) });
    await expect(verify(token)).resolves.toMatchObject({ member: 'alpha' });
    const [h, p, s] = token.split('.');
    const variants = [...aliases(s).map((x) => `${h}.${p}.${x}`), ...aliases(p).map((x) => `${h}.${x}.${s}`), ...aliases(h).map((x) => `${x}.${p}.${s}`)];
    expect(variants.length).toBeGreaterThan(3);
    for (const v of variants) await expect(verify(v)).rejects.toThrow(/not canonical/);
  });

  it('a gateway assertion with a non-canonical signature is refused; the original is accepted', async () => {
    const { privateJwk, publicJwk } = await createKeyPair();
    const body = Buffer.from('{"query":"{ services { id } }"}');
    const verify = async (a: string) => verifyAssertion(a, { member: 'alpha', gateways: () => [publicJwk as never], body, replay: new MemoryReplayCache() });
    const assertion = await signAssertion({ key: privateJwk, gatewayId: 'gw', member: 'alpha', caller: { anonymous: true, scopes: [] }, body });
    const [h, p, s] = assertion.split('.');
    const variants = [...aliases(s).map((x) => `${h}.${p}.${x}`), ...aliases(p).map((x) => `${h}.${x}.${s}`), ...aliases(h).map((x) => `${x}.${p}.${s}`)];
    for (const v of variants) await expect(verify(v)).rejects.toThrow(/not canonical/);
    await expect(verify(assertion)).resolves.toMatchObject({ anonymous: true });
  });

  it("a batch assertion's proof with a non-canonical nonce or siblings (same bytes, other text) is refused; the original is accepted", async () => {
    const { privateJwk, publicJwk } = await createKeyPair();
    const body = '{"query":"{ services { id } }"}';
    const batcher = new AssertionBatcher(new AssertionSigner(privateJwk, 'gw'));
    const caller = { anonymous: false, member: 'beta', subject: 'ana', scopes: ['read'] };
    const [, sent] = await Promise.all(['alpha', 'beta', 'gamma'].map((member) => batcher.assert({ member, caller, body })));
    const verify = (proof: string) => verifyAssertion(sent.assertion, { member: 'beta', gateways: () => [publicJwk as never], body: Buffer.from(body), replay: new MemoryReplayCache(), proof });
    const [nonce, sides, siblings] = sent.proof!.split('.');
    const variants = [...aliases(nonce).map((x) => `${x}.${sides}.${siblings}`), ...aliases(siblings).map((x) => `${nonce}.${sides}.${x}`)];
    expect(variants.length).toBeGreaterThan(3);
    for (const v of variants) await expect(verify(v)).rejects.toThrow(/proof refused/);
    // the decoded proof encodes back to the same text: one text per proof
    expect(encodeProof(decodeProof(sent.proof!).nonce, decodeProof(sent.proof!).steps)).toBe(sent.proof);
    await expect(verify(sent.proof!)).resolves.toMatchObject({ member: 'beta', subject: 'ana' });
  });
});
