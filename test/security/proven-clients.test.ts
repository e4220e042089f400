/**
 * Issue 19, clients: the built CLI (`keygen --caller`, `token --bind`, `query --caller-key`), the
 * exported `createProvenFetch` and the example bot, each as a real caller of a real gateway in
 * front of real member subgraphs (alpha and beta `proven`, gamma `asserted`).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, type JWK } from 'jose';
import { callerKeyThumbprint } from '../../common/auth/caller-proof';
import { createProvenFetch, readCallerKeyFile } from '../../common/client';
import { ringMembers } from '../support/fixtures';
import { TestNetwork } from '../support/network';
import { GENERIC_401_BODY, postRaw } from './support';

const ROOT = join(__dirname, '../..');
const CLI = join(ROOT, 'dist/scripts/cli/infrared.js');
const BOT = join(ROOT, 'dist/scripts/examples/proven-bot.js');
if (!existsSync(CLI) || !existsSync(BOT)) throw new Error('dist/ is missing: build first (npx tsc -b .; npm test does it through pretest)');
jest.setTimeout(180_000);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const CLEAN_ENV = { INFRARED_TOKEN: '', INFRARED_CALLER_KEY: '', INFRARED_GATEWAY_URL: '', INFRARED_REGISTRY: '', NODE_OPTIONS: '' };
function node(script: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { cwd: ROOT, env: { ...process.env, ...CLEAN_ENV, ...env }, timeout: 90_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}
const cli = (args: string[], env?: Record<string, string>) => node(CLI, args, env);

const SERVICES = '{ services { id } }';
const ids = (json: { data?: { services?: { id: string }[] } }) => (json.data?.services ?? []).map((s) => s.id).sort();

describe('proven-caller clients against a real gateway and proven members', () => {
  let net: TestNetwork;
  const dir = mkdtempSync(join(tmpdir(), 'infrared-proven-clients-'));
  let callerKeyFile: string;
  let callerPubFile: string;
  let memberKeyFile: string;
  let thumbprint: string;
  /** A bound read token for alpha's person `ana`, issued by the CLI. */
  let boundToken: string;

  beforeAll(async () => {
    const members = ringMembers().map((m) => ({ ...m, callerPolicy: m.id === 'gamma' ? ('asserted' as const) : ('proven' as const) }));
    net = await TestNetwork.start(members, {}, { publishGatewayEndpoint: true });
    memberKeyFile = join(dir, 'alpha.jwk.json');
    writeFileSync(memberKeyFile, JSON.stringify(net.keys.get('alpha')), { mode: 0o600 });

    const made = await cli(['keygen', '--caller', '--name', 'ana', '--out', join(dir, 'caller')]);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    callerKeyFile = join(dir, 'caller/ana.caller.jwk.json');
    callerPubFile = join(dir, 'caller/ana.caller.pub.json');
    thumbprint = /thumbprint \(cnf\.jkt\): (\S+)/.exec(made.stdout)![1];
    const issued = await cli(['token', '--key', memberKeyFile, '--member', 'alpha', '--sub', 'ana', '--aud', 'testnet', '--bind', callerPubFile, '--registry', net.registryFile]);
    expect(issued.code).toBe(0);
    boundToken = issued.stdout.trim();
  });
  afterAll(async () => {
    await net?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('infrared keygen --caller', () => {
    it('writes a private P-256 key (mode 0600) and its public half, and prints the public JWK and its thumbprint', async () => {
      expect(statSync(callerKeyFile).mode & 0o777).toBe(0o600);
      const privateJwk = readCallerKeyFile(callerKeyFile);
      const publicJwk = JSON.parse(readFileSync(callerPubFile, 'utf8')) as JWK;
      expect(publicJwk).toEqual({ kty: 'EC', crv: 'P-256', x: privateJwk.x, y: privateJwk.y });
      expect(thumbprint).toBe(await callerKeyThumbprint(publicJwk));
      const again = await cli(['keygen', '--caller', '--name', 'ana', '--out', join(dir, 'caller')]);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/exists; use --force/);
      expect(readCallerKeyFile(callerKeyFile)).toEqual(privateJwk);
      const both = await cli(['keygen', '--caller', '--member', 'alpha', '--out', join(dir, 'x')]);
      expect(both.code).toBe(2);
      expect(both.stderr).toMatch(/either --member .* or --caller/);
    });
  });

  describe('infrared token --bind', () => {
    it("binds the token to the caller key's thumbprint, from a file or inline JSON", async () => {
      expect(decodeJwt(boundToken)).toMatchObject({ iss: 'alpha', sub: 'ana', cnf: { jkt: thumbprint } });
      const inline = await cli(['token', '--key', memberKeyFile, '--member', 'alpha', '--sub', 'ana', '--aud', 'testnet', '--bind', readFileSync(callerPubFile, 'utf8')]);
      expect(inline.code).toBe(0);
      expect(decodeJwt(inline.stdout.trim()).cnf).toEqual({ jkt: thumbprint });
    });

    it('refuses a key that is not a P-256 public key, saying so, and issues nothing', async () => {
      const ed = await cli(['token', '--key', memberKeyFile, '--member', 'alpha', '--sub', 'ana', '--bind', JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'abc' })]);
      expect(ed).toMatchObject({ code: 2, stdout: '' });
      expect(ed.stderr).toMatch(/--bind: the caller key is not a P-256 \(ES256\) public JWK/);
      const secret = await cli(['token', '--key', memberKeyFile, '--member', 'alpha', '--sub', 'ana', '--bind', callerKeyFile]);
      expect(secret).toMatchObject({ code: 2, stdout: '' });
      expect(secret.stderr).toMatch(/--bind: this is a private key: .*sends only the public key/);
      const missing = await cli(['token', '--key', memberKeyFile, '--member', 'alpha', '--sub', 'ana', '--bind', join(dir, 'nope.json')]);
      expect(missing).toMatchObject({ code: 2, stdout: '' });
      expect(missing.stderr).toMatch(/--bind: cannot read caller key .*ENOENT/);
    });
  });

  describe('infrared query --caller-key', () => {
    it("signs a proof: the bound caller reads its own member's OWNER data at a proven member", async () => {
      const res = await cli(['query', '--url', net.gatewayEndpoint!, '-e', SERVICES], { INFRARED_TOKEN: boundToken, INFRARED_CALLER_KEY: callerKeyFile });
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      const json = JSON.parse(res.stdout);
      expect(json.errors).toBeUndefined();
      expect(ids(json)).toEqual(['alpha:mem', 'alpha:net', 'alpha:own', 'alpha:pub', 'beta:net', 'beta:pub', 'gamma:mem', 'gamma:net', 'gamma:pub']);
    });

    it('an unbound token (Bearer, as curl sends it) still works: PUBLIC only at proven members, as before at the asserted one', async () => {
      const res = await cli(['query', '--url', net.gatewayEndpoint!, '--token', await net.token('alpha'), '-e', SERVICES]);
      expect(res.code).toBe(0);
      expect(ids(JSON.parse(res.stdout))).toEqual(['alpha:pub', 'beta:pub', 'gamma:mem', 'gamma:net', 'gamma:pub']);
    });

    it('refuses before sending: a bound token without its key, a key for an unbound token, a key the token is not bound to', async () => {
      const noKey = await cli(['query', '--url', net.gatewayEndpoint!, '--token', boundToken, '-e', SERVICES]);
      expect(noKey).toMatchObject({ code: 2, stdout: '' });
      expect(noKey.stderr).toMatch(/bound to a caller key .*--caller-key/);
      const unbound = await cli(['query', '--url', net.gatewayEndpoint!, '--token', await net.token('alpha'), '--caller-key', callerKeyFile, '-e', SERVICES]);
      expect(unbound).toMatchObject({ code: 2, stdout: '' });
      expect(unbound.stderr).toMatch(/--caller-key: the token is not bound/);
      const other = await cli(['keygen', '--caller', '--name', 'thief', '--out', join(dir, 'thief')]);
      expect(other.code).toBe(0);
      const wrong = await cli(['query', '--url', net.gatewayEndpoint!, '--token', boundToken, '--caller-key', join(dir, 'thief/thief.caller.jwk.json'), '-e', SERVICES]);
      expect(wrong).toMatchObject({ code: 2, stdout: '' });
      expect(wrong.stderr).toMatch(/bound to another key/);
    });
  });

  describe('createProvenFetch', () => {
    const UPSERT = 'mutation($input: ServiceInput!) { upsertService(input: $input) { id status visibility } }';
    const post = (query: string, variables?: Record<string, unknown>) => ({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(variables ? { query, variables } : { query }),
    });

    it('writes and reads OWNER data at a proven member with a fresh proof per request; a captured request replayed is refused', async () => {
      const writer = await net.token('alpha', { subject: 'status-bot', scopes: ['read', 'write'], boundTo: thumbprint });
      const sent: { url: string; init: RequestInit }[] = [];
      const recordingFetch = ((url: string, init: RequestInit) => {
        sent.push({ url, init });
        return fetch(url, init);
      }) as typeof fetch;
      const provenFetch = createProvenFetch({ token: writer, key: readCallerKeyFile(callerKeyFile), fetch: recordingFetch });
      const input = { id: 'mail-down', name: 'Mail (down)', kind: 'EMAIL', status: 'DOWN', acceptingUsers: false, visibility: 'OWNER' };
      const written = await (await provenFetch(net.gatewayEndpoint!, post(UPSERT, { input }))).json();
      expect(written.errors).toBeUndefined();
      expect(written.data).toEqual({ upsertService: { id: 'alpha:mail-down', status: 'DOWN', visibility: 'OWNER' } });
      const read = await (await provenFetch(net.gatewayEndpoint!, post('{ services(filter: { members: ["alpha"] }) { id } }'))).json();
      expect(ids(read)).toEqual(['alpha:mail-down', 'alpha:mem', 'alpha:net', 'alpha:own', 'alpha:pub']);

      // whoever captured the write (token, proof, body) cannot send it again
      const captured = sent[0];
      const headers = new Headers(captured.init.headers);
      const replayed = await postRaw(captured.url, captured.init.body as string, { 'content-type': 'application/json', authorization: headers.get('authorization')!, dpop: headers.get('dpop')! });
      expect(replayed.status).toBe(401);
      expect(replayed.json).toEqual(GENERIC_401_BODY);
    });

    it('is exported as infrared-network-graph/client (package.json exports), for bots outside this repository', async () => {
      const loaded = await new Promise<Run>((resolve) =>
        execFile(
          process.execPath,
          ['-e', "const c = require('infrared-network-graph/client'); console.log(typeof c.createProvenFetch, typeof c.readCallerKeyFile)"],
          { cwd: ROOT },
          (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout, stderr }),
        ),
      );
      expect(loaded).toMatchObject({ code: 0, stdout: 'function function\n' });
    });
  });

  describe('the example bot (scripts/examples/proven-bot)', () => {
    it('is the code docs/query-the-network.md shows, with the package import path', () => {
      const docs = readFileSync(join(ROOT, 'docs/query-the-network.md'), 'utf8').split('### Bots with a bound token')[1];
      const shown = /```ts\n([\s\S]*?)```/.exec(docs)![1];
      const source = readFileSync(join(ROOT, 'scripts/examples/proven-bot.ts'), 'utf8');
      const body = (text: string) => text.slice(text.indexOf('const SERVICES'), text.includes('if (require.main') ? text.indexOf('if (require.main') : undefined).trim();
      expect(shown.startsWith("import { createProvenFetch, readCallerKeyFile } from 'infrared-network-graph/client';\n")).toBe(true);
      expect(body(shown)).toBe(body(source));
    });

    it("lists its member's services that are not operational, OWNER ones included, through the gateway", async () => {
      const token = await net.token('alpha', { subject: 'status-bot', boundTo: thumbprint });
      const env = { INFRARED_TOKEN: token, INFRARED_CALLER_KEY: callerKeyFile, INFRARED_GATEWAY_URL: net.gatewayEndpoint! };
      // the service written above is DOWN and OWNER (written in the previous test when it ran; write it again to stand alone)
      const writer = createProvenFetch({ token: await net.token('alpha', { scopes: ['write'], boundTo: thumbprint }), key: readCallerKeyFile(callerKeyFile) });
      const input = { id: 'mail-down', name: 'Mail (down)', kind: 'EMAIL', status: 'DOWN', acceptingUsers: false, visibility: 'OWNER' };
      const write = await writer(net.gatewayEndpoint!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation($input: ServiceInput!) { upsertService(input: $input) { id } }', variables: { input } }),
      });
      expect((await write.json()).errors).toBeUndefined();

      const run = await node(BOT, ['alpha'], env);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(3);
      expect(run.stdout).toBe('alpha:mail-down\tDOWN\tOWNER\tMail (down)\n5 services of alpha, 1 not operational\n');

      // the same token without the caller key: the gateway refuses it (the bot never sends a bound token as Bearer)
      const refused = await postRaw(net.gatewayEndpoint!, JSON.stringify({ query: SERVICES }), { authorization: `Bearer ${token}` });
      expect(refused.status).toBe(401);
      const unboundBot = await node(BOT, ['alpha'], { ...env, INFRARED_TOKEN: await net.token('alpha') });
      expect(unboundBot.code).toBe(1);
      expect(unboundBot.stderr).toMatch(/^proven-bot: error: the caller token is not bound to a key/);
    });
  });
});
