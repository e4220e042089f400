/**
 * The client side of caller proofs, checked with the verifier the gateway and members run:
 * each request gets its own proof over its method, URL, token and exact body bytes; misuse is
 * refused before anything is sent.
 */
import { calculateJwkThumbprint, SignJWT } from 'jose';
import { createCallerKeyPair, verifyCallerProof, type CallerKeyPair } from './caller-proof';
import { createProvenFetch, isBoundToken, provenRequestHeaders } from './caller-proof-client';
import { MemoryReplayCache } from './replay-cache';

const URL_ = 'https://gw.example/graphql';

/** A token carrying `cnf` as given (signed with a throwaway key: the client never verifies tokens). */
async function tokenWith(cnf?: unknown): Promise<string> {
  const { privateKey } = await createCallerKeyPair({ extractable: false });
  return new SignJWT(cnf === undefined ? { scope: 'read' } : { scope: 'read', cnf })
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuer('alpha')
    .setSubject('bot')
    .sign(privateKey as CryptoKey);
}

interface Sent {
  url: string;
  init: RequestInit;
}

function recorder() {
  const sent: Sent[] = [];
  const fetchImpl = (async (url: string | URL, init?: RequestInit) => {
    sent.push({ url: String(url), init: init ?? {} });
    return new Response('{}', { status: 200 });
  }) as typeof fetch;
  return { sent, fetchImpl };
}

describe('createProvenFetch', () => {
  let key: CallerKeyPair;
  let token: string;
  beforeAll(async () => {
    key = await createCallerKeyPair({ extractable: true });
    token = await tokenWith({ jkt: key.thumbprint });
  });

  it('signs a fresh proof per request over the exact body bytes, that the verifier accepts once', async () => {
    const { sent, fetchImpl } = recorder();
    const provenFetch = createProvenFetch({ token, key: key.privateKey, fetch: fetchImpl });
    const bodies = [JSON.stringify({ query: '{ services { id } }' }), JSON.stringify({ query: '{ services { id } }' }), new TextEncoder().encode('{"query":"{ a }"}')];
    for (const body of bodies) await provenFetch(URL_, { method: 'post', headers: { 'content-type': 'application/json', authorization: 'Bearer stale' }, body });
    expect(sent).toHaveLength(3);
    const replay = new MemoryReplayCache();
    const proofs = new Set<string>();
    for (const [i, { url, init }] of sent.entries()) {
      const headers = new Headers(init.headers);
      expect(url).toBe(URL_);
      expect(init.method).toBe('POST');
      expect(init.body).toBe(bodies[i]);
      expect(headers.get('content-type')).toBe('application/json');
      expect(headers.get('authorization')).toBe(`DPoP ${token}`);
      const proof = headers.get('dpop')!;
      proofs.add(proof);
      const check = { jkt: key.thumbprint, token, body: bodies[i], htm: 'POST', htu: [URL_], replay };
      await expect(verifyCallerProof(proof, check)).resolves.toMatchObject({ jkt: key.thumbprint, htu: URL_ });
      // once only, and never for another body
      await expect(verifyCallerProof(proof, check)).rejects.toMatchObject({ refusal: 'REPLAYED' });
      await expect(verifyCallerProof(proof, { ...check, body: `${String(bodies[0])} `, replay: new MemoryReplayCache() })).rejects.toMatchObject({ refusal: 'BODY_MISMATCH' });
    }
    expect(proofs.size).toBe(3);
  });

  it('signs GET requests over an empty body, and works with a non-extractable CryptoKey plus its public JWK', async () => {
    const browserKey = await createCallerKeyPair({ extractable: false });
    const bound = await tokenWith({ jkt: browserKey.thumbprint });
    const { sent, fetchImpl } = recorder();
    await createProvenFetch({ token: bound, key: browserKey.privateKey, publicJwk: browserKey.publicJwk, fetch: fetchImpl })(new URL(`${URL_}?query={a}`));
    const proof = new Headers(sent[0].init.headers).get('dpop')!;
    await expect(verifyCallerProof(proof, { jkt: browserKey.thumbprint, token: bound, body: '', htm: 'GET', htu: [URL_], replay: new MemoryReplayCache() })).resolves.toBeDefined();
  });

  it.each([
    ['an unbound token', async () => tokenWith(), /not bound to a key/],
    ['a token bound to another key', async () => tokenWith({ jkt: (await createCallerKeyPair({ extractable: true })).thumbprint }), /bound to another key/],
    ['something that is not a JWT', async () => 'not-a-token', /not a JWT/],
  ])('refuses %s before sending anything', async (_name, makeToken, message) => {
    const { sent, fetchImpl } = recorder();
    const provenFetch = createProvenFetch({ token: await makeToken(), key: key.privateKey, fetch: fetchImpl });
    await expect(provenFetch(URL_, { method: 'POST', body: '{}' })).rejects.toThrow(message);
    expect(sent).toHaveLength(0);
  });

  it('refuses bodies it cannot hash exactly, a Request, and keys that are not a private P-256 key with its own public half', async () => {
    const { sent, fetchImpl } = recorder();
    const provenFetch = createProvenFetch({ token, key: key.privateKey, fetch: fetchImpl });
    await expect(provenFetch(URL_, { method: 'POST', body: new URLSearchParams({ a: 'b' }) })).rejects.toThrow(/string, a Uint8Array or an ArrayBuffer/);
    await expect(provenFetch(new Request(URL_) as unknown as string)).rejects.toThrow(/not a Request/);
    expect(sent).toHaveLength(0);
    const { d: _d, ...publicOnly } = key.privateKey as Record<string, string>;
    expect(() => createProvenFetch({ token, key: publicOnly })).toThrow(/not a private P-256 JWK/);
    const other = await createCallerKeyPair({ extractable: true });
    expect(() => createProvenFetch({ token, key: key.privateKey, publicJwk: other.publicJwk })).toThrow(/not the public half/);
    const cryptoKey = await createCallerKeyPair({ extractable: false });
    expect(() => createProvenFetch({ token, key: cryptoKey.privateKey })).toThrow(/needs its publicJwk/);
  });
});

describe('provenRequestHeaders and isBoundToken', () => {
  it('makes the DPoP authorization and a proof for the request; tells bound tokens from others', async () => {
    const key = await createCallerKeyPair({ extractable: true });
    const token = await tokenWith({ jkt: key.thumbprint });
    const body = '{"query":"{ a }"}';
    const headers = await provenRequestHeaders({ token, key: key.privateKey }, { method: 'POST', url: `${URL_}#frag`, body });
    expect(headers.authorization).toBe(`DPoP ${token}`);
    await expect(verifyCallerProof(headers.dpop, { jkt: await calculateJwkThumbprint(key.publicJwk), token, body, htm: 'POST', htu: [URL_], replay: new MemoryReplayCache() })).resolves.toBeDefined();
    expect(isBoundToken(token)).toBe(true);
    expect(isBoundToken(await tokenWith())).toBe(false);
    expect(isBoundToken('garbage')).toBe(false);
  });
});
