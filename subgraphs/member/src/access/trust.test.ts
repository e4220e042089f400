import type { IncomingMessage } from 'node:http';
import { createCallerKeyPair } from '../../../../common/auth/caller-proof';
import { issueCallerToken } from '../../../../common/auth/caller-token';
import { AuthError } from '../../../../common/auth/errors';
import { createKeyPair, publicPart, type PrivateJwk } from '../../../../common/auth/keys';
import { MemoryReplayCache } from '../../../../common/auth/replay-cache';
import type { Registry } from '../../../../common/registry/registry.schema';
import { createCallerResolver, type CallerPolicy } from './trust';

/**
 * The member's caller policy for direct tokens (no gateway in between): an asserted caller is
 * anonymous under `proven`, itself under `asserted`; a bound token is never accepted as a bearer
 * token. (Proofs forwarded by a gateway: test/security/proven-callers.test.ts.)
 */
let memberKey: PrivateJwk;
let registry: Registry;
beforeAll(async () => {
  memberKey = (await createKeyPair()).privateJwk;
  registry = {
    network: { id: 'net', name: 'Net' },
    version: 1,
    threshold: 'majority',
    signatures: [],
    members: [{ id: 'alpha', name: 'Alpha', region: 'R', countries: [], languages: ['en'], url: 'http://127.0.0.1:9/graphql', keys: [publicPart(memberKey) as never], revocations: { jti: [] } }],
    gateways: [],
  } as unknown as Registry;
});

const resolver = (policy: CallerPolicy) => createCallerResolver({ memberId: 'alpha', registry: () => registry, acceptDirectTokens: true, replay: new MemoryReplayCache(), policy });
const request = (authorization: string) => ({ headers: { authorization } }) as unknown as IncomingMessage;
const token = (boundTo?: string) => issueCallerToken({ key: memberKey, member: 'alpha', subject: 'ana', scopes: ['read', 'write'], audience: 'net', ttlSeconds: 600, boundTo });

it('proven: a direct bearer token is an asserted caller, answered as anonymous (and told why on writes)', async () => {
  const caller = await resolver('proven')(request(`Bearer ${await token()}`), Buffer.alloc(0));
  expect(caller).toEqual({ anonymous: true, scopes: [], unproven: true });
});

it('asserted: a direct bearer token is its caller', async () => {
  const caller = await resolver('asserted')(request(`Bearer ${await token()}`), Buffer.alloc(0));
  expect(caller).toMatchObject({ anonymous: false, member: 'alpha', subject: 'ana', scopes: ['read', 'write'] });
  expect(caller.proven).toBeUndefined();
});

it('a bound token sent as a bearer token is refused under either policy', async () => {
  const { thumbprint } = await createCallerKeyPair({ extractable: true });
  for (const policy of ['proven', 'asserted'] as const) {
    const err = await resolver(policy)(request(`Bearer ${await token(thumbprint)}`), Buffer.alloc(0)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).refusal).toBe('PROOF_REQUIRED');
  }
});
