/**
 * Batch assertions over real HTTP: one gateway signature per fan-out, a Merkle proof per member
 * call. A real member subgraph (its own replay store in the test database) accepts each call of a
 * batch once and refuses a proof bent in any way; the gateway's caller sends the batch form only
 * to members whose `/ready` says they verify it, and the classic form to older members.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeProtectedHeader } from 'jose';
import { BATCH_ASSERTION_FORM, BATCH_ASSERTION_TYP, verifyAssertion } from '../../common/auth/assertion';
import { AssertionBatcher, type SubRequestAssertion } from '../../common/auth/assertion-batch';
import { ASSERTION_PROOF_HEADER, decodeProof, encodeProof } from '../../common/auth/assertion-merkle';
import { AssertionSigner } from '../../common/auth/assertion-signer';
import { createKeyPair, publicPart, type PrivateJwk } from '../../common/auth/keys';
import { MemoryReplayCache } from '../../common/auth/replay-cache';
import type { Caller } from '../../common/caller';
import type { Logger } from '../../common/logger';
import type { RegistryMember } from '../../common/registry/registry.schema';
import type { GatewayContext } from '../../gateway/src/context';
import { MemberCaller } from '../../gateway/src/fanout/member-caller';
import { MemberClient } from '../../gateway/src/fanout/member-client';
import { requestBody } from '../../gateway/src/fanout/request-body';
import { MemberHealth } from '../../gateway/src/health/member-health';
import { Agent } from 'undici';
import { ringMembers } from '../support/fixtures';
import { GATEWAY_ID, TestNetwork, quietLogger } from '../support/network';
import { rawRequest } from '../reliability/support';
import { callerOf, GENERIC_401_BODY, gqlBody, postRaw } from './support';

const SERVICES = '{ services { id } }';
const ids = (json: any) => json.data.services.map((s: { id: string }) => s.id).sort();

describe('a member subgraph verifying batch assertions', () => {
  let net: TestNetwork;
  let batcher: AssertionBatcher;
  const url = (member: string) => net.members.get(member)!.url;

  beforeAll(async () => {
    net = await TestNetwork.start(ringMembers(['alpha', 'beta']));
    batcher = new AssertionBatcher(new AssertionSigner(net.gatewayKey, GATEWAY_ID));
  });
  afterAll(() => net?.stop());

  /** One turn of calls, as the gateway's fan-out makes them. */
  const turn = (members: string[], caller: Caller, body: string) => Promise.all(members.map((member) => batcher.assert({ member, caller, body })));
  const send = (member: string, body: string, sent: Partial<SubRequestAssertion>) =>
    postRaw(url(member), body, { ...(sent.assertion ? { 'infrared-assertion': sent.assertion } : {}), ...(sent.proof !== undefined ? { [ASSERTION_PROOF_HEADER]: sent.proof } : {}) });
  const expect401 = (res: Awaited<ReturnType<typeof send>>) => {
    expect(res.status).toBe(401);
    expect(res.json).toEqual(GENERIC_401_BODY);
  };

  it('says in /ready that it verifies the batch form', async () => {
    const res = await rawRequest(url('alpha'), { method: 'GET', path: '/ready', timeoutMs: 10_000 });
    expect(res.json).toMatchObject({ status: 'ready', assertionForms: expect.arrayContaining([BATCH_ASSERTION_FORM]) });
  });

  it("answers each call of a batch with the asserted caller's view (under the asserted policy)", async () => {
    const body = gqlBody(SERVICES);
    const [forAlpha, forBeta] = await turn(['alpha', 'beta'], callerOf('alpha'), body);
    expect(forAlpha.assertion).toBe(forBeta.assertion);
    expect(decodeProtectedHeader(forAlpha.assertion).typ).toBe(BATCH_ASSERTION_TYP);
    const a = await send('alpha', body, forAlpha);
    const b = await send('beta', body, forBeta);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(ids(a.json)).toEqual(['alpha:mem', 'alpha:net', 'alpha:own', 'alpha:pub']);
    expect(ids(b.json)).toEqual(['beta:mem', 'beta:net', 'beta:pub']);
  });

  it("refuses alpha's proof at beta, a replayed leaf, a bent proof, a missing proof and a proof beside a classic assertion", async () => {
    const body = gqlBody(SERVICES);
    const [forAlpha, forBeta, alphaAgain] = await turn(['alpha', 'beta', 'alpha'], callerOf('alpha'), body);
    expect401(await send('beta', body, forAlpha));
    expect401(await send('alpha', gqlBody('{ services { id name } }'), forAlpha));
    const p = decodeProof(forBeta.proof!);
    p.steps[0] = { side: p.steps[0].side === 'L' ? 'R' : 'L', sibling: p.steps[0].sibling };
    expect401(await send('beta', body, { ...forBeta, proof: encodeProof(p.nonce, p.steps) }));
    expect401(await send('beta', body, { assertion: forBeta.assertion }));
    const [classic] = await turn(['beta'], callerOf('alpha'), body);
    expect(classic.proof).toBeUndefined();
    expect401(await send('beta', body, { ...classic, proof: forBeta.proof }));
    // the refusals above stored nothing: the untouched calls pass, each once
    expect((await send('alpha', body, forAlpha)).status).toBe(200);
    expect401(await send('alpha', body, forAlpha));
    expect((await send('alpha', body, alphaAgain)).status).toBe(200);
    expect((await send('beta', body, forBeta)).status).toBe(200);
    expect401(await send('beta', body, forBeta));
  });

  it('accepts two calls of one batch at the same member (a root list and an entity fetch), each once', async () => {
    const list = gqlBody(SERVICES);
    const other = gqlBody('{ services { id name } }');
    const [first, second] = await Promise.all([batcher.assert({ member: 'alpha', caller: callerOf('beta'), body: list }), batcher.assert({ member: 'alpha', caller: callerOf('beta'), body: other })]);
    expect(first.assertion).toBe(second.assertion);
    expect((await send('alpha', list, first)).status).toBe(200);
    expect((await send('alpha', other, second)).status).toBe(200);
    expect401(await send('alpha', list, first));
    expect401(await send('alpha', other, second));
  });

  it("the gateway's own fan-out uses the batch form with these members, and answers from both", async () => {
    expect(net.gateway.health.status('alpha').batchAssertions).toBe(true);
    expect(net.gateway.health.status('beta').batchAssertions).toBe(true);
    // watched, not replaced: the real batcher signs and the real members verify
    const batched = jest.spyOn(AssertionBatcher.prototype, 'enqueue');
    try {
      const res = await net.query(SERVICES, { token: await net.token('alpha', { scopes: ['read'] }) });
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      const got = (res.body.data!.services as { id: string }[]).map((s) => s.id);
      expect(got).toEqual(expect.arrayContaining(['alpha:own', 'alpha:pub', 'beta:mem', 'beta:pub']));
      expect(batched.mock.calls.map(([call]) => call.member).sort()).toEqual(['alpha', 'beta']);
    } finally {
      batched.mockRestore();
    }
  });
});

describe('mixed versions: the batch form only to members that name it', () => {
  const servers: Server[] = [];
  let key: PrivateJwk;
  const seen = new Map<string, { headers: IncomingMessage['headers']; verdict: string }[]>();

  /**
   * A member on real HTTP that verifies what it receives with the real verifier: `current`
   * names the batch form in /ready and reads the proof header; an older member names no form and
   * knows no proof header (so a batch assertion reaches it without its proof).
   */
  async function member(id: string, current: boolean, version = { current }): Promise<RegistryMember> {
    const replay = new MemoryReplayCache();
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/ready') {
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ status: 'ready', member: id, schemaVersion: '1.0.0', ...(version.current ? { assertionForms: ['single', BATCH_ASSERTION_FORM] } : {}) }));
        }
        const proof = req.headers[ASSERTION_PROOF_HEADER];
        verifyAssertion(String(req.headers['infrared-assertion']), {
          member: id,
          body: Buffer.concat(chunks),
          replay,
          gateways: (g) => (g === GATEWAY_ID ? [publicPart(key) as never] : undefined),
          proof: version.current && typeof proof === 'string' ? proof : undefined,
        }).then(
          () => {
            seen.get(id)!.push({ headers: req.headers, verdict: 'accepted' });
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ data: { services: [] } }));
          },
          (err: Error) => {
            seen.get(id)!.push({ headers: req.headers, verdict: err.message });
            res.writeHead(401, { 'content-type': 'application/json' });
            res.end(JSON.stringify(GENERIC_401_BODY));
          },
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    servers.push(server);
    seen.set(id, []);
    return { id, name: id, region: 'Test', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` } as RegistryMember;
  }

  afterAll(() => {
    for (const s of servers) (s.closeAllConnections(), s.close());
  });

  /**
   * The gateway's health checks of `members` (done once here, signed with `key`) and its member
   * caller over them, asking the health checks which members take the batch form and signing
   * with `signingKey` (default `key`). `close()` stops them all.
   */
  async function callerOver(
    members: RegistryMember[],
    opts: { signingKey?: PrivateJwk; onBatchRefused?: (member: string, health: MemberHealth) => void; healthLogger?: Logger; totalSockets?: number } = {},
  ) {
    const agent = new Agent({ connections: 2 });
    const health = new MemberHealth({ dispatcher: agent, intervalMs: 60_000, timeoutMs: 5000, logger: opts.healthLogger ?? quietLogger(), gatewayId: GATEWAY_ID, signingKey: key });
    await health.track(members);
    const client = new MemberClient({ maxResponseBytes: 1_000_000, pools: { totalSockets: opts.totalSockets ?? 16, members: () => members.length } });
    const { onBatchRefused } = opts;
    const caller = new MemberCaller({
      client,
      gatewayId: GATEWAY_ID,
      signingKey: opts.signingKey ?? key,
      acceptsBatchAssertions: (id) => health.status(id).batchAssertions,
      onBatchRefused: onBatchRefused && ((id) => onBatchRefused(id, health)),
      defaultDeadlineMs: 5000,
      breakerFailures: 100,
      breakerHalfOpenMs: 60_000,
      logger: quietLogger(),
    });
    const close = async () => {
      caller.stop();
      health.stop();
      await client.close();
      await agent.close();
    };
    return { health, caller, close };
  }

  it('sends current members the batch form (one signature) and older members the classic form; all accept', async () => {
    ({ privateJwk: key } = await createKeyPair());
    const members = [await member('new1', true), await member('new2', true), await member('new3', true), await member('old1', false), await member('old2', false)];
    const { health, caller, close } = await callerOver(members);
    expect(members.map((m) => health.status(m.id).batchAssertions)).toEqual([true, true, true, false, false]);

    const context = { requestId: 'r1', caller: callerOf('alpha'), deadlineAt: Date.now() + 10_000, reports: [] } as unknown as GatewayContext;
    const body = requestBody(SERVICES, {}, undefined);
    try {
      // one loop, one turn: as the fan-out calls its members
      const results = await Promise.all(members.map((m) => caller.call(m, body, context)));
      expect(results.map((r) => r.outcome)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
      const got = (id: string) => seen.get(id)!;
      for (const id of ['new1', 'new2', 'new3', 'old1', 'old2']) expect(got(id).map((s) => s.verdict)).toEqual(['accepted']);
      const batchTokens = ['new1', 'new2', 'new3'].map((id) => got(id)[0].headers['infrared-assertion']);
      expect(new Set(batchTokens).size).toBe(1);
      expect(decodeProtectedHeader(String(batchTokens[0])).typ).toBe(BATCH_ASSERTION_TYP);
      for (const id of ['new1', 'new2', 'new3']) expect(typeof got(id)[0].headers[ASSERTION_PROOF_HEADER]).toBe('string');
      for (const id of ['old1', 'old2']) {
        expect(got(id)[0].headers[ASSERTION_PROOF_HEADER]).toBeUndefined();
        expect(decodeProtectedHeader(String(got(id)[0].headers['infrared-assertion'])).typ).toBe('infrared-assertion+jwt');
      }
    } finally {
      await close();
    }
  });

  it('an older member refuses a batch assertion (why the gateway asks first)', async () => {
    const old = await member('old3', false);
    const batcher = new AssertionBatcher(new AssertionSigner(key, GATEWAY_ID));
    const body = gqlBody(SERVICES);
    const [forOld] = await Promise.all([batcher.assert({ member: 'old3', caller: callerOf('alpha'), body }), batcher.assert({ member: 'other', caller: callerOf('alpha'), body })]);
    const res = await postRaw(old.url, body, { 'infrared-assertion': forOld.assertion, [ASSERTION_PROOF_HEADER]: forOld.proof! });
    expect(res.status).toBe(401);
    expect(seen.get('old3')!.map((s) => s.verdict)).toEqual(['assertion rejected: a batch assertion without its proof']);
  });

  it('a member downgraded since its last check: the refused call goes again in the classic form, and its next calls get the classic form until /ready names the batch form', async () => {
    const version = { current: true };
    const members = [await member('down1', true, version), await member('new4', true)];
    const warnings: string[] = [];
    const logger = quietLogger();
    const refusedAt: string[] = [];
    const { health, caller, close } = await callerOver(members, {
      healthLogger: { ...logger, warn: (_: unknown, msg?: string) => void warnings.push(String(msg)) } as never,
      onBatchRefused: (id, health) => (refusedAt.push(id), health.batchRefused(id)),
    });
    expect(health.status('down1').batchAssertions).toBe(true);
    version.current = false; // downgraded after the check: it no longer knows the proof header
    const context = { requestId: 'r2', caller: callerOf('alpha'), deadlineAt: Date.now() + 10_000, reports: [] } as unknown as GatewayContext;
    const body = requestBody(SERVICES, {}, undefined);
    const typ = (headers: IncomingMessage['headers']) => decodeProtectedHeader(String(headers['infrared-assertion'])).typ;
    try {
      const first = await Promise.all(members.map((m) => caller.call(m, body, context)));
      expect(first.map((r) => r.outcome)).toEqual(['ok', 'ok']);
      // the batch call was refused, then the same call was accepted in the classic form
      expect(seen.get('down1')!.map((s) => s.verdict)).toEqual(['assertion rejected: a batch assertion without its proof', 'accepted']);
      expect(seen.get('down1')!.map((s) => typ(s.headers))).toEqual([BATCH_ASSERTION_TYP, 'infrared-assertion+jwt']);
      expect(refusedAt).toEqual(['down1']);
      expect(health.status('down1').batchAssertions).toBe(false);
      expect(health.status('new4').batchAssertions).toBe(true);
      expect(warnings.filter((w) => w.includes('refused a batch assertion'))).toHaveLength(1);

      // the next request: classic form straight away, no refusal
      await Promise.all(members.map((m) => caller.call(m, body, context)));
      expect(
        seen
          .get('down1')!
          .slice(2)
          .map((s) => [s.verdict, typ(s.headers)]),
      ).toEqual([['accepted', 'infrared-assertion+jwt']]);
      expect(refusedAt).toEqual(['down1']);

      // upgraded again: the next health check gives it the batch form back
      version.current = true;
      await health.checkAll();
      expect(health.status('down1').batchAssertions).toBe(true);
      await Promise.all(members.map((m) => caller.call(m, body, context)));
      expect(
        seen
          .get('down1')!
          .slice(3)
          .map((s) => [s.verdict, typ(s.headers)]),
      ).toEqual([['accepted', BATCH_ASSERTION_TYP]]);
    } finally {
      await close();
    }
  });

  it('a member that refuses the classic form too is untrusted for those calls (one classic retry each, no more)', async () => {
    const version = { current: true };
    const refuser = await member('down2', true, version);
    // signed with a key the member does not know: every form is refused
    const { privateJwk: stranger } = await createKeyPair();
    const { caller, close } = await callerOver([refuser], { signingKey: stranger, onBatchRefused: (id, health) => health.batchRefused(id), totalSockets: 4 });
    const context = { requestId: 'r3', caller: callerOf('alpha'), deadlineAt: Date.now() + 10_000, reports: [] } as unknown as GatewayContext;
    try {
      // two calls in one turn: one batch signature, a proof each
      const results = await Promise.all([caller.call(refuser, requestBody(SERVICES, {}, undefined), context), caller.call(refuser, requestBody('{ services { name } }', {}, undefined), context)]);
      expect(results.map((r) => r.outcome)).toEqual(['untrusted', 'untrusted']);
      const calls = seen.get('down2')!;
      expect(calls.map((s) => decodeProtectedHeader(String(s.headers['infrared-assertion'])).typ).sort()).toEqual(
        [BATCH_ASSERTION_TYP, BATCH_ASSERTION_TYP, 'infrared-assertion+jwt', 'infrared-assertion+jwt'].sort(),
      );
      expect(calls.every((s) => s.verdict !== 'accepted')).toBe(true);
    } finally {
      await close();
    }
  });
});
