/**
 * The gateway's fast assertion signer makes the same tokens the members verify: bound to one
 * member (aud), to the exact body, with a fresh jti each, for EdDSA and ES256 keys. It hashes a
 * body once however many members it is sent to.
 */
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { AssertionSigner } from '../../common/auth/assertion-signer';
import { verifyAssertion } from '../../common/auth/assertion';
import { createKeyPair, publicPart, type PrivateJwk } from '../../common/auth/keys';
import { MemoryReplayCache } from '../../common/auth/replay-cache';
import { AuthError } from '../../common/auth/errors';
import type { Caller } from '../../common/caller';

const GATEWAY = 'gw-test';
const caller: Caller = { anonymous: false, member: 'beta', subject: 'ana', scopes: ['read'] };

async function es256Key(): Promise<PrivateJwk> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey), 'sha256');
  return { ...(await exportJWK(privateKey)), kid, alg: 'ES256' } as PrivateJwk;
}

describe.each([
  ['EdDSA', async () => (await createKeyPair()).privateJwk],
  ['ES256', es256Key],
])('AssertionSigner with %s', (alg, makeKey) => {
  let key: PrivateJwk;
  let signer: AssertionSigner;
  const verify = (token: string, member: string, body: string, replay = new MemoryReplayCache()) =>
    verifyAssertion(token, { member, body: Buffer.from(body), replay, gateways: (id) => (id === GATEWAY ? [publicPart(key) as never] : undefined) });

  beforeAll(async () => {
    key = await makeKey();
    signer = new AssertionSigner(key, GATEWAY);
  });

  it('makes assertions the member verifies, with the caller asserted', async () => {
    const body = '{"query":"{ services { id } }","variables":{}}';
    const token = signer.sign({ member: 'alpha', caller, body });
    expect(decodeProtectedHeader(token)).toEqual({ alg, kid: key.kid, typ: 'infrared-assertion+jwt' });
    await expect(verify(token, 'alpha', body)).resolves.toEqual(caller);
    const anonymous = signer.sign({ member: 'alpha', caller: { anonymous: true, scopes: [] }, body });
    await expect(verify(anonymous, 'alpha', body)).resolves.toEqual({ anonymous: true, scopes: [] });
  });

  it('binds each assertion to its member: another member refuses it', async () => {
    const body = '{"query":"{ services { id } }"}';
    const forAlpha = signer.sign({ member: 'alpha', caller, body });
    await expect(verify(forAlpha, 'gamma', body)).rejects.toThrow(AuthError);
  });

  it('binds each assertion to the exact body', async () => {
    const token = signer.sign({ member: 'alpha', caller, body: '{"query":"{ services { id } }"}' });
    await expect(verify(token, 'alpha', '{"query":"{ projects { id } }"}')).rejects.toThrow(/body hash/);
  });

  it('gives every assertion its own jti, so a replay is refused', async () => {
    const body = '{"query":"{ services { id } }"}';
    const a = signer.sign({ member: 'alpha', caller, body });
    const b = signer.sign({ member: 'alpha', caller, body });
    expect(decodeJwt(a).jti).not.toBe(decodeJwt(b).jti);
    const replay = new MemoryReplayCache();
    await verify(a, 'alpha', body, replay);
    await expect(verify(a, 'alpha', body, replay)).rejects.toThrow(/replayed/);
  });

  it('hashes a body once for all the members it goes to', () => {
    const fresh = new AssertionSigner(key, GATEWAY);
    const body = JSON.stringify({ query: '{ services { id name } }', variables: {} });
    const tokens = Array.from({ length: 500 }, (_, i) => fresh.sign({ member: `m${i}`, caller, body }));
    expect(fresh.hashed).toBe(1);
    expect(new Set(tokens.map((t) => decodeJwt(t).aud)).size).toBe(500);
    fresh.sign({ member: 'm0', caller, body: `${body} ` });
    expect(fresh.hashed).toBe(2);
  });
});
