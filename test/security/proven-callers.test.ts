/**
 * Issue 19: callers proven to members end to end. A real gateway and real member subgraphs
 * (alpha and beta `proven`, gamma `asserted`), callers with P-256 keys and bound tokens.
 * - Through the gateway: a proven caller reads and writes at proven members; an unbound token
 *   gets PUBLIC data only from them; every bad proof or token is one generic 401.
 * - An attacker who controls the gateway's process and key (it signs valid assertions and sees
 *   the callers' tokens, proofs and bodies) and calls the members itself: it reads only what a
 *   real caller asked for, once per member and only while the proof is fresh, and writes nothing
 *   the caller did not send. Each refusal is checked by its refusal code in the member's log.
 */
import { createCallerKeyPair, createCallerProof, type CallerKeyPair } from '../../common/auth/caller-proof';
import { FORWARDED_PROOF_EXTENSION, type ForwardedProof } from '../../common/auth/forwarded-proof';
import { createKeyPair, publicPart, type PrivateJwk } from '../../common/auth/keys';
import type { Gateway } from '../../gateway/src/app';
import { connectionOperation } from '../../gateway/src/fanout/connections/connection-operation';
import { ringMembers } from '../support/fixtures';
import { freePort, TestNetwork } from '../support/network';
import { callerOf, capturingLogger, GENERIC_401_BODY, postRaw, settle, signClaims, tokenClaims, type RawResult } from './support';

const SERVICES = '{ services { id name } }';
const UPSERT = 'mutation($input: ServiceInput!) { upsertService(input: $input) { id name } }';
const serviceInput = (id: string, name = `Written ${id}`) => ({ id, name, kind: 'EMAIL', status: 'OPERATIONAL', acceptingUsers: true, visibility: 'OWNER' });

describe('proven callers', () => {
  let net: TestNetwork;
  let key: CallerKeyPair;
  const logs = new Map<string, ReturnType<typeof capturingLogger>>();
  const gatewayLog = capturingLogger('gateway');
  /** Every token and proof a caller made in this file: none may reach a log. */
  const secrets: string[] = [];

  beforeAll(async () => {
    const members = ringMembers().map((m) => ({ ...m, callerPolicy: m.id === 'gamma' ? ('asserted' as const) : ('proven' as const) }));
    net = await TestNetwork.start(
      members,
      { logger: gatewayLog.logger },
      {
        publishGatewayEndpoint: true,
        memberLogger: (id) => {
          const log = capturingLogger(`member:${id}`);
          logs.set(id, log);
          return log.logger;
        },
      },
    );
    key = await createCallerKeyPair({ extractable: false });
  });
  afterAll(() => net?.stop());

  /** The refusal codes a member logged for refused sub-requests since `mark`. */
  async function refusalsAt(member: string, mark: number): Promise<string[]> {
    await settle();
    return logs
      .get(member)!
      .lines()
      .slice(mark)
      .filter((l) => l.msg === 'sub-request refused')
      .map((l) => l.refusal as string);
  }
  const logMark = (member: string) => logs.get(member)!.lines().length;

  const bound = (member = 'alpha', scopes = ['read'], over: { key?: CallerKeyPair } = {}) => net.token(member, { scopes, boundTo: (over.key ?? key).thumbprint });

  /** A caller's request as it leaves the caller: body, token and proof for the gateway's endpoint. */
  async function callerRequest(query: string, opts: { variables?: Record<string, unknown>; token?: string; htu?: string; now?: number; key?: CallerKeyPair } = {}) {
    const body = JSON.stringify(opts.variables ? { query, variables: opts.variables } : { query });
    const token = opts.token ?? (await bound());
    const signer = opts.key ?? key;
    const proof = await createCallerProof({ key: signer.privateKey, publicJwk: signer.publicJwk, htm: 'POST', htu: opts.htu ?? net.gatewayEndpoint!, token, body, now: opts.now });
    secrets.push(token, proof);
    return { body, token, proof, forwarded: { token, proof, body } satisfies ForwardedProof };
  }

  const toGateway = (req: { body: string; token: string; proof: string }, url = net.gateway.url) => postRaw(url, req.body, { authorization: `DPoP ${req.token}`, dpop: req.proof });
  const ids = (res: RawResult, field = 'services') => ((res.json?.data?.[field] ?? []) as { id: string }[]).map((s) => s.id).sort();

  describe('through the gateway', () => {
    it("a proven caller reads NETWORK, MEMBERS and OWNER data at proven members (and the asserted member's as before)", async () => {
      const res = await toGateway(await callerRequest(SERVICES));
      expect(res.status).toBe(200);
      expect(res.json.errors).toBeUndefined();
      // alpha: the owner's own caller sees all; beta: PUBLIC and NETWORK; gamma (asserted): its MEMBERS record is shared with alpha
      expect(ids(res)).toEqual(['alpha:mem', 'alpha:net', 'alpha:own', 'alpha:pub', 'beta:net', 'beta:pub', 'gamma:mem', 'gamma:net', 'gamma:pub']);
    });

    it("passes every sub-request the gateway's planner makes: entity fetches, fragments, aliases, variables, the network's own fields", async () => {
      const query = `query Q($kinds: [ServiceKind!], $me: ID!) {
        member(id: $me) { id name services { id name member { id name } } capacity { id total } }
        mine: services(filter: { kinds: $kinds, members: ["alpha"] }) { ...S }
        projects { id name lead { id name } participants { id } }
        viewer { member { id } }
      }
      fragment S on Service { id name capacity { id total } member { id region } }`;
      const res = await toGateway(await callerRequest(query, { variables: { kinds: ['EMAIL'], me: 'alpha' } }));
      expect(res.status).toBe(200);
      expect(res.json.errors).toBeUndefined();
      const { member, mine, projects, viewer } = res.json.data;
      expect(viewer).toEqual({ member: { id: 'alpha' } });
      expect(member.services.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining(['alpha:own', 'alpha:mem']));
      expect(mine.map((s: { id: string }) => s.id)).toContain('alpha:own');
      expect(projects.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining(['alpha:proj-own', 'beta:proj-pub', 'gamma:proj-pub']));
      expect(projects.map((p: { id: string }) => p.id)).not.toContain('beta:proj-own');
    });

    it('walks a connection page by page: the gateway sets first and after per member, and the proven members accept exactly those pages', async () => {
      const marks = new Map(['alpha', 'beta'].map((m) => [m, logMark(m)]));
      const query = 'query($after: String) { servicesConnection(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } totalCount } }';
      const walked: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 20; page++) {
        const res = await toGateway(await callerRequest(query, { variables: { after } }));
        expect(res.status).toBe(200);
        expect(res.json.errors).toBeUndefined();
        const connection = res.json.data.servicesConnection;
        expect(connection.totalCount).toBe(9);
        walked.push(...connection.edges.map((e: { node: { id: string } }) => e.node.id));
        if (!connection.pageInfo.hasNextPage) break;
        after = connection.pageInfo.endCursor;
      }
      // the same records as the plain list (OWNER, MEMBERS and NETWORK at the proven members), each once
      expect(walked.sort()).toEqual(['alpha:mem', 'alpha:net', 'alpha:own', 'alpha:pub', 'beta:net', 'beta:pub', 'gamma:mem', 'gamma:net', 'gamma:pub']);
      for (const [member, mark] of marks) expect(await refusalsAt(member, mark)).toEqual([]);
    });

    it('an unbound token gets PUBLIC data only from proven members, and everything it may see from an asserted one', async () => {
      const res = await postRaw(net.gateway.url, JSON.stringify({ query: SERVICES }), { authorization: `Bearer ${await net.token('alpha')}` });
      expect(res.status).toBe(200);
      expect(ids(res)).toEqual(['alpha:pub', 'beta:pub', 'gamma:mem', 'gamma:net', 'gamma:pub']);
    });

    it('a proven caller writes at its proven member; an unbound write token is refused there, saying why', async () => {
      const written = await toGateway(await callerRequest(UPSERT, { token: await bound('alpha', ['read', 'write']), variables: { input: serviceInput('proven-1') } }));
      expect(written.json.errors).toBeUndefined();
      expect(written.json.data.upsertService).toEqual({ id: 'alpha:proven-1', name: 'Written proven-1' });

      const unbound = await postRaw(net.gateway.url, JSON.stringify({ query: UPSERT, variables: { input: serviceInput('asserted-1') } }), {
        authorization: `Bearer ${await net.token('alpha', { scopes: ['read', 'write'] })}`,
      });
      expect(unbound.json.data).toBeNull();
      expect(unbound.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(unbound.json.errors[0].message).toMatch(/only from proven callers/);
      const after = await toGateway(await callerRequest('{ services(filter: { members: ["alpha"] }) { id } }'));
      expect(ids(after)).toContain('alpha:proven-1');
      expect(ids(after)).not.toContain('alpha:asserted-1');
    });

    it('refuses, with one generic 401: a bound token as a bearer token, no proof, a replayed proof, another endpoint, another body, another key', async () => {
      const req = await callerRequest(SERVICES);
      const refused: RawResult[] = [];
      refused.push(await postRaw(net.gateway.url, req.body, { authorization: `Bearer ${req.token}` }));
      refused.push(await postRaw(net.gateway.url, req.body, { authorization: `DPoP ${req.token}` }));
      expect((await toGateway(req)).status).toBe(200);
      refused.push(await toGateway(req)); // the same proof again
      refused.push(await toGateway(await callerRequest(SERVICES, { htu: 'http://127.0.0.1:1/graphql' })));
      const other = await callerRequest(SERVICES);
      refused.push(await postRaw(net.gateway.url, other.body.replace('name', 'name '), { authorization: `DPoP ${other.token}`, dpop: other.proof }));
      const thief = await createCallerKeyPair({ extractable: true });
      refused.push(await toGateway(await callerRequest(SERVICES, { key: thief })));
      // a proof with an unbound token
      refused.push(await toGateway(await callerRequest(SERVICES, { token: await net.token('alpha') })));
      for (const res of refused) {
        expect(res.status).toBe(401);
        expect(res.json).toEqual(GENERIC_401_BODY);
      }
    });

    it('refuses expired, forged and wrong-audience bound tokens even with a valid proof', async () => {
      const now = Math.floor(Date.now() / 1000);
      const cnf = { jkt: key.thumbprint };
      const rogue = (await createKeyPair()).privateJwk;
      const tokens = [
        await signClaims(net.keys.get('alpha')!, tokenClaims('alpha', { cnf, iat: now - 7200, nbf: now - 7200, exp: now - 3600 })),
        await signClaims(rogue, tokenClaims('alpha', { cnf }), { kid: net.keys.get('alpha')!.kid }),
        await signClaims(net.keys.get('alpha')!, tokenClaims('alpha', { cnf, aud: 'another-network' })),
      ];
      for (const token of tokens) {
        const res = await toGateway(await callerRequest(SERVICES, { token }));
        expect(res.status).toBe(401);
        expect(res.json).toEqual(GENERIC_401_BODY);
      }
    });

    it('a proof made for this gateway is refused through another gateway (htu)', async () => {
      const port = await freePort();
      const other: Gateway = await net.extraGateway({
        port,
        gatewayId: 'edge-b',
        signingKey: (await createKeyPair()).privateJwk,
        publicEndpoints: [`http://127.0.0.1:${port}/graphql`],
        responseCacheTtlSeconds: 0,
      });
      try {
        const req = await callerRequest(SERVICES);
        const res = await toGateway(req, other.url);
        expect(res.status).toBe(401);
        // the same proof is still good where it was made for (the refusal did not spend it)
        expect((await toGateway(req)).status).toBe(200);
      } finally {
        await other.stop();
      }
    });
  });

  describe('an attacker with the gateway process and key, calling the members itself', () => {
    /** A sub-request as the attacker makes it: any body, a valid gateway assertion, and the forwarded proof. */
    async function attack(member: string, subRequest: Record<string, unknown>, forwarded?: ForwardedProof, opts: { gatewayKey?: PrivateJwk; gatewayId?: string; scopes?: string[] } = {}) {
      const body = JSON.stringify(forwarded ? { ...subRequest, extensions: { [FORWARDED_PROOF_EXTENSION]: forwarded } } : subRequest);
      const assertion = await net.assertion(member, callerOf('alpha', opts.scopes ?? ['read', 'write']), body, opts.gatewayKey, opts.gatewayId);
      return postRaw(net.members.get(member)!.url, body, { 'infrared-assertion': assertion });
    }

    it('reads what the caller asked for, once per member (the same proof works at each member once)', async () => {
      const { forwarded } = await callerRequest(SERVICES);
      const first = await attack('alpha', { query: SERVICES }, forwarded);
      expect(first.status).toBe(200);
      expect(ids(first)).toEqual(expect.arrayContaining(['alpha:mem', 'alpha:net', 'alpha:own', 'alpha:pub']));
      const atBeta = await attack('beta', { query: SERVICES }, forwarded);
      expect(ids(atBeta)).toEqual(['beta:net', 'beta:pub']);
      // the same read again, however spelled (aliases, fragments, unused variables), is a replay
      const respelled = [{ query: SERVICES }, { query: '{ list: services { id label: name } }' }, { query: 'query { services { ...F } } fragment F on Service { name id }', variables: { unused: 1 } }];
      for (const sub of respelled) {
        const mark = logMark('alpha');
        const again = await attack('alpha', sub, forwarded);
        expect(again.status).toBe(401);
        expect(await refusalsAt('alpha', mark)).toEqual(['REPLAYED']);
      }
    });

    it('cannot replay a whole sub-request (assertion and proof together)', async () => {
      const { forwarded } = await callerRequest(SERVICES);
      const body = JSON.stringify({ query: SERVICES, extensions: { [FORWARDED_PROOF_EXTENSION]: forwarded } });
      const headers = { 'infrared-assertion': await net.assertion('alpha', callerOf('alpha', ['read', 'write']), body) };
      expect((await postRaw(net.members.get('alpha')!.url, body, headers)).status).toBe(200);
      const mark = logMark('alpha');
      expect((await postRaw(net.members.get('alpha')!.url, body, headers)).status).toBe(401);
      expect(await refusalsAt('alpha', mark)).toEqual(['REPLAYED']);
    });

    it('without a proof it is only asserting: PUBLIC data at a proven member', async () => {
      const res = await attack('alpha', { query: SERVICES });
      expect(res.status).toBe(200);
      expect(ids(res)).toEqual(['alpha:pub']);
      const projects = await attack('alpha', { query: '{ projects { id } }' });
      expect(ids(projects, 'projects')).toEqual(['alpha:proj-pub']);
    });

    it('cannot read anything the caller did not ask for: another field, another argument, altered variables', async () => {
      const query = 'query($filter: ServiceFilter) { services(filter: $filter) { id name } }';
      const cases: [string, Record<string, unknown>][] = [
        ['another root field', { query: '{ projects { id name } }' }],
        ['an added field', { query: 'query($filter: ServiceFilter) { services(filter: $filter) { id name software } }', variables: { filter: { kinds: ['EMAIL'] } } }],
        ['a nested field', { query: 'query($filter: ServiceFilter) { services(filter: $filter) { id name capacity { total } } }', variables: { filter: { kinds: ['EMAIL'] } } }],
        ['altered variables', { query, variables: { filter: { kinds: ['CHAT'] } } }],
        ['no variables (a wider search)', { query }],
        ['an inline argument instead', { query: '{ services(filter: { text: "own" }) { id name } }' }],
        ['an added argument', { query: 'query($filter: ServiceFilter) { services(filter: $filter, limit: 1000) { id name } }', variables: { filter: { kinds: ['EMAIL'] } } }],
        ['an entity fetch', { query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Service { id name } } }', variables: { r: [{ __typename: 'Service', id: 'alpha:own' }] } }],
      ];
      for (const [what, sub] of cases) {
        const { forwarded } = await callerRequest(query, { variables: { filter: { kinds: ['EMAIL'] } } });
        const mark = logMark('alpha');
        const res = await attack('alpha', sub, forwarded);
        expect({ what, status: res.status }).toEqual({ what, status: 401 });
        expect({ what, refusals: await refusalsAt('alpha', mark) }).toEqual({ what, refusals: ['NOT_A_SUBSET'] });
        // the caller's own request still goes through with that proof (a refusal does not spend it)
        expect((await attack('alpha', { query, variables: { filter: { kinds: ['EMAIL'] } } }, forwarded)).status).toBe(200);
      }
    });

    it("pages a connection only as the caller's cursor allows: not a bigger page, not from another position", async () => {
      const query = '{ servicesConnection(first: 2) { edges { node { id } } } }';
      const sub = (first: number, after: string | null) => ({
        query: connectionOperation(query, 'servicesConnection'),
        variables: { infrared__first: first, infrared__after: after, infrared__count: true },
      });
      const { forwarded } = await callerRequest(query);
      for (const [what, bad] of [
        ['a bigger page', sub(1000, null)],
        ['another position', sub(2, 'WyJ4Il0')],
      ] as const) {
        const mark = logMark('alpha');
        const res = await attack('alpha', bad, forwarded);
        expect({ what, status: res.status }).toEqual({ what, status: 401 });
        expect({ what, refusals: await refusalsAt('alpha', mark) }).toEqual({ what, refusals: ['NOT_A_SUBSET'] });
      }
      const res = await attack('alpha', sub(2, null), forwarded);
      expect(res.status).toBe(200);
      expect(res.json.data.servicesConnection.edges).toHaveLength(2);
    });

    it('cannot use a proof later (after its window), nor one made for another endpoint or another gateway', async () => {
      const stale = await callerRequest(SERVICES, { now: Date.now() - 61_000 });
      let mark = logMark('alpha');
      expect((await attack('alpha', { query: SERVICES }, stale.forwarded)).status).toBe(401);
      expect(await refusalsAt('alpha', mark)).toEqual(['PROOF_STALE']);

      const elsewhere = await callerRequest(SERVICES, { htu: 'http://127.0.0.1:1/graphql' });
      mark = logMark('alpha');
      expect((await attack('alpha', { query: SERVICES }, elsewhere.forwarded)).status).toBe(401);
      expect(await refusalsAt('alpha', mark)).toEqual(['PROOF_WRONG_REQUEST']);

      // a second gateway the members trust, with its own key and endpoint: a proof made for the
      // first gateway does not pass through it, even with that gateway's valid assertion
      const otherKey = (await createKeyPair()).privateJwk;
      net.writeRegistry((r) => r.gateways.push({ id: 'other-gateway', keys: [publicPart(otherKey)], endpoints: ['http://127.0.0.1:2/graphql'] }));
      const deadline = Date.now() + 15_000;
      let trusted = false;
      while (!trusted && Date.now() < deadline) {
        trusted = (await attack('alpha', { query: SERVICES }, undefined, { gatewayKey: otherKey, gatewayId: 'other-gateway' })).status === 200;
        if (!trusted) await new Promise((r) => setTimeout(r, 200));
      }
      expect(trusted).toBe(true);
      const viaOther = await callerRequest(SERVICES);
      mark = logMark('alpha');
      expect((await attack('alpha', { query: SERVICES }, viaOther.forwarded, { gatewayKey: otherKey, gatewayId: 'other-gateway' })).status).toBe(401);
      expect(await refusalsAt('alpha', mark)).toEqual(['PROOF_WRONG_REQUEST']);
      // ...while through the gateway it was made for, it works
      expect((await attack('alpha', { query: SERVICES }, viaOther.forwarded)).status).toBe(200);
    });

    it('cannot swap a token or a body: another caller token, another original body', async () => {
      const req = await callerRequest(SERVICES);
      let mark = logMark('alpha');
      expect((await attack('alpha', { query: SERVICES }, { ...req.forwarded, token: await bound('alpha', ['read', 'write']) })).status).toBe(401);
      expect(await refusalsAt('alpha', mark)).toEqual(['PROOF_WRONG_REQUEST']);
      mark = logMark('alpha');
      const wider = JSON.stringify({ query: '{ services { id name } projects { id name } }' });
      expect((await attack('alpha', { query: '{ projects { id name } }' }, { ...req.forwarded, body: wider })).status).toBe(401);
      expect(await refusalsAt('alpha', mark)).toEqual(['BODY_MISMATCH']);
    });

    describe('writes', () => {
      const readName = async (id: string) => {
        const res = await toGateway(await callerRequest('query($id: ID!) { service(id: $id) { id name } }', { variables: { id } }));
        return res.json.data.service?.name as string | undefined;
      };

      it('writes exactly what the caller sent, and nothing else: altered input, another mutation, added field, swapped operation type', async () => {
        const token = await bound('alpha', ['read', 'write']);
        const sent = await callerRequest(UPSERT, { token, variables: { input: serviceInput('w-1', 'As sent') } });
        const cases: [string, Record<string, unknown>][] = [
          ['altered input', { query: UPSERT, variables: { input: serviceInput('w-1', 'Altered') } }],
          ['another record', { query: UPSERT, variables: { input: serviceInput('w-2', 'As sent') } }],
          ['another mutation', { query: 'mutation($id: ID!) { removeService(id: $id) }', variables: { id: 'own' } }],
          [
            'an added mutation field',
            { query: `mutation($input: ServiceInput!, $id: ID!) { upsertService(input: $input) { id name } removeService(id: $id) }`, variables: { input: serviceInput('w-1', 'As sent'), id: 'own' } },
          ],
          ['a query instead', { query: SERVICES }],
        ];
        for (const [what, sub] of cases) {
          const mark = logMark('alpha');
          const res = await attack('alpha', sub, sent.forwarded);
          expect({ what, status: res.status }).toEqual({ what, status: 401 });
          expect({ what, refusals: await refusalsAt('alpha', mark) }).toEqual({ what, refusals: ['NOT_A_SUBSET'] });
        }
        expect(await readName('alpha:w-1')).toBeUndefined();
        expect(await readName('alpha:own')).toBe('Service own');

        // a caller's query proof cannot carry a mutation
        const readProof = await callerRequest(SERVICES, { token });
        const mark = logMark('alpha');
        expect((await attack('alpha', { query: UPSERT, variables: { input: serviceInput('w-3') } }, readProof.forwarded)).status).toBe(401);
        expect(await refusalsAt('alpha', mark)).toEqual(['NOT_A_SUBSET']);
        expect(await readName('alpha:w-3')).toBeUndefined();

        // the caller's own mutation, as sent, is written (once)
        const exact = await attack('alpha', { query: UPSERT, variables: { input: serviceInput('w-1', 'As sent') } }, sent.forwarded);
        expect(exact.json.data).toEqual({ upsertService: { id: 'alpha:w-1', name: 'As sent' } });
        expect((await attack('alpha', { query: UPSERT, variables: { input: serviceInput('w-1', 'As sent') } }, sent.forwarded)).status).toBe(401);
        expect(await readName('alpha:w-1')).toBe('As sent');
      });

      it('cannot write with an asserted caller at a proven member', async () => {
        const res = await attack('alpha', { query: UPSERT, variables: { input: serviceInput('w-4') } });
        expect(res.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
        expect(await readName('alpha:w-4')).toBeUndefined();
      });
    });
  });

  it('logs refusals with their codes, and never a token or a proof', async () => {
    await settle();
    const gatewayRefusals = gatewayLog.lines().filter((l) => l.msg === 'caller token refused');
    expect(new Set(gatewayRefusals.map((l) => l.refusal))).toEqual(new Set(['PROOF_REQUIRED', 'REPLAYED', 'PROOF_WRONG_REQUEST', 'BODY_MISMATCH', 'PROOF_KEY_MISMATCH', 'REJECTED_BY_VERIFIER']));
    const texts = [gatewayLog.text(), ...[...logs.values()].map((l) => l.text())];
    expect(secrets.length).toBeGreaterThan(50);
    for (const secret of secrets) for (const text of texts) expect(text.includes(secret)).toBe(false);
    // nor a signature part alone
    for (const secret of secrets) for (const text of texts) expect(text.includes(secret.split('.')[2])).toBe(false);
  });
});
