import { decodeJwt, type JWK } from 'jose';
import { issueCallerToken } from '../../../common/auth/caller-token';
import { createKeyPair, type PrivateJwk } from '../../../common/auth/keys';
import type { Registry } from '../../../common/registry/registry.schema';
import { callerTokenStillValid } from './token-still-valid';

/** An open stream's token is checked again whenever the registry changes: each edit below must end it, and nothing else. */
const NETWORK = 'infrared-test';

let key: PrivateJwk;
let pub: JWK & { kid: string };
let other: PrivateJwk;
let token: string;

beforeAll(async () => {
  ({ privateJwk: key, publicJwk: pub } = await createKeyPair());
  ({ privateJwk: other } = await createKeyPair());
  token = await issueCallerToken({ key, member: 'alpha', subject: 'ana', scopes: ['read'], audience: NETWORK, ttlSeconds: 600 });
});

function registry(alpha: { keys?: JWK[]; jti?: string[]; issuedBefore?: Date } | null): Registry {
  const members = alpha === null ? [] : [{ id: 'alpha', keys: alpha.keys ?? [pub], revocations: { jti: alpha.jti ?? [], issuedBefore: alpha.issuedBefore } }];
  return { network: { id: NETWORK }, members, gateways: [] } as unknown as Registry;
}

describe('callerTokenStillValid', () => {
  it('accepts the token as long as the registry does, as Bearer and as DPoP', async () => {
    await expect(callerTokenStillValid(`Bearer ${token}`, registry({}))).resolves.toBe(true);
    await expect(callerTokenStillValid(`DPoP ${token}`, registry({ jti: ['some-other-token'] }))).resolves.toBe(true);
  });

  it('refuses it once its jti is revoked, or every token issued before a later instant is', async () => {
    const { jti } = decodeJwt(token);
    await expect(callerTokenStillValid(`Bearer ${token}`, registry({ jti: [String(jti)] }))).resolves.toBe(false);
    await expect(callerTokenStillValid(`Bearer ${token}`, registry({ issuedBefore: new Date(Date.now() + 1000) }))).resolves.toBe(false);
    await expect(callerTokenStillValid(`Bearer ${token}`, registry({ issuedBefore: new Date(Date.now() - 3_600_000) }))).resolves.toBe(true);
  });

  it('refuses it when its member or its key leaves the registry, and a forged or malformed one', async () => {
    await expect(callerTokenStillValid(`Bearer ${token}`, registry(null))).resolves.toBe(false);
    await expect(callerTokenStillValid(`Bearer ${token}`, registry({ keys: [] }))).resolves.toBe(false);
    const forged = await issueCallerToken({ key: { ...other, kid: pub.kid }, member: 'alpha', subject: 'ana', scopes: ['read'], audience: NETWORK, ttlSeconds: 600 });
    await expect(callerTokenStillValid(`Bearer ${forged}`, registry({}))).resolves.toBe(false);
    await expect(callerTokenStillValid('Bearer not a token', registry({}))).resolves.toBe(false);
  });
});
