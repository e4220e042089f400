/**
 * The trust probe on a member's `/ready`: "trusted" only for a fresh assertion of a gateway this
 * member trusts, for this member and the empty body of the probe; anything else is "refused", with
 * nothing in the answer about why. A probe assertion is good for nothing else.
 */
import { ANONYMOUS } from '../../common/caller';
import { createKeyPair } from '../../common/auth/keys';
import { signAssertion } from '../../common/auth/assertion';
import { ringMembers } from '../support/fixtures';
import { GATEWAY_ID, TestNetwork } from '../support/network';
import { rawRequest, until } from '../reliability/support';
import { gqlBody, postRaw } from './support';

describe("a member's /ready trust probe", () => {
  let net: TestNetwork;
  beforeAll(async () => {
    net = await TestNetwork.start(ringMembers(['alpha', 'beta']));
  });
  afterAll(() => net?.stop());

  const alpha = () => net.members.get('alpha')!;
  const probe = async (assertion?: string) => {
    const res = await rawRequest(alpha().url, { method: 'GET', path: '/ready', headers: assertion ? { 'infrared-assertion': assertion } : {}, timeoutMs: 10_000 });
    return { status: res.status, body: res.json as Record<string, unknown> };
  };

  it('says nothing about gateways when no assertion is sent', async () => {
    // the first /ready after start can be 503 on a loaded machine (its database check has 2 s):
    // no answer, 503 or 200, says anything about gateways
    const answers: { status: number; body: Record<string, unknown> }[] = [];
    await until(
      async () => {
        answers.push(await probe());
        return answers.at(-1)!.status === 200;
      },
      { timeoutMs: 15_000, intervalMs: 200, what: "the member's /ready to answer 200" },
    );
    for (const { body } of answers) expect(body).not.toHaveProperty('gateway');
  });

  it('answers "trusted" for a fresh assertion of the trusted gateway', async () => {
    expect((await probe(await net.assertion('alpha', ANONYMOUS, ''))).body).toMatchObject({ status: 'ready', gateway: 'trusted' });
  });

  type Case = [string, () => Promise<string>];
  const refused: Case[] = [
    ['signed by a key nobody pinned', async () => net.assertion('alpha', ANONYMOUS, '', (await createKeyPair()).privateJwk)],
    ['from a gateway id that is not in the registry', async () => signAssertion({ key: net.gatewayKey, gatewayId: 'elsewhere', member: 'alpha', caller: ANONYMOUS, body: '' })],
    ['for another member', () => net.assertion('beta', ANONYMOUS, '')],
    ['for a non-empty body', () => net.assertion('alpha', ANONYMOUS, gqlBody('{ services { id } }'))],
    ['expired', () => signAssertion({ key: net.gatewayKey, gatewayId: GATEWAY_ID, member: 'alpha', caller: ANONYMOUS, body: '', now: Date.now() - 600_000 })],
    ['malformed', async () => 'not.a.jwt'],
  ];
  it.each(refused)('answers "refused" for an assertion %s, and nothing more', async (_name, build) => {
    const { status, body } = await probe(await build());
    expect(status).toBe(200); // the database is fine: readiness and trust are separate answers
    expect(body).toEqual({
      status: 'ready',
      member: 'alpha',
      schemaVersion: expect.any(String),
      assertionForms: ['single', 'merkle-batch-v1'],
      gateway: 'refused',
      registry: expect.objectContaining({ accepted: expect.any(Object) }),
    });
  });

  it('refuses a replayed probe assertion, and a probe assertion is useless for GraphQL', async () => {
    const assertion = await net.assertion('alpha', ANONYMOUS, '');
    expect((await probe(assertion)).body.gateway).toBe('trusted');
    expect((await probe(assertion)).body.gateway).toBe('refused');
    const fresh = await net.assertion('alpha', ANONYMOUS, '');
    const res = await postRaw(alpha().url, gqlBody('{ services { id } }'), { 'infrared-assertion': fresh });
    expect(res.status).toBe(401);
  });
});
