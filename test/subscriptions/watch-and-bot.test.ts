/**
 * `infrared watch` and the incident webhook bot as real processes (the built CLI and script)
 * against a real network in this process, and a real HTTP sink standing in for the chat webhook.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ringMembers } from '../support/fixtures';
import { TestNetwork } from '../support/network';
import { CLI, ROOT } from '../support/cli';
import { writeCallerKeyFiles, type CallerKeyFiles } from '../../common/auth/caller-key-file';
import { createCallerProof, type CallerKeyPair, createCallerKeyPair } from '../../common/auth/caller-proof';
import { postRaw } from '../security/support';

jest.setTimeout(180_000);

const BOT = join(ROOT, 'dist/scripts/examples/incident-webhook-bot.js');
const REPORT = 'mutation Report($i: IncidentInput!) { reportIncident(input: $i) { id } }';

interface Proc {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number>;
  /** Waits until stdout (or stderr) satisfies `test`. */
  until(test: (out: { stdout: string; stderr: string }) => boolean, timeoutMs?: number): Promise<void>;
}

function start(file: string, args: string[], env: Record<string, string> = {}): Proc {
  if (!existsSync(file)) throw new Error(`${file} is missing: build first (npx tsc -b .)`);
  const child = spawn(process.execPath, [file, ...args], { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '', INFRARED_TOKEN: '', INFRARED_GATEWAY_URL: '', ...env } });
  const proc: Proc = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code ?? -1))),
    until(test, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (test(proc)) {
            clearInterval(timer);
            clearTimeout(deadline);
            resolve();
          }
        };
        const timer = setInterval(check, 50);
        const deadline = setTimeout(() => {
          clearInterval(timer);
          reject(new Error(`timed out; stdout: ${proc.stdout}\nstderr: ${proc.stderr}`));
        }, timeoutMs);
        void proc.exited.then(() => setTimeout(check, 10));
      });
    },
  };
  child.stdout.on('data', (c: Buffer) => (proc.stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (proc.stderr += c.toString()));
  return proc;
}

/** Connected: the gateway answers a stream once its feed stands at the present, so a change made from now on is new. */
const connected = (p: Proc) => p.until((o) => /connected/.test(o.stderr));

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('infrared watch and the incident webhook bot', () => {
  let net: TestNetwork;
  let writer: string;
  let dir: string;
  const procs: Proc[] = [];
  let seq = 0;

  async function report(severity: string, visibility = 'PUBLIC'): Promise<string> {
    const id = `w-${++seq}`;
    const { body } = await net.query(REPORT, {
      token: writer,
      variables: { i: { id, kind: 'PHISHING', severity, observedAt: '2026-11-02T08:00:00Z', visibility, summary: [{ lang: 'en', text: `phishing wave ${id}` }] } },
    });
    expect(body.errors).toBeUndefined();
    return `alpha:${id}`;
  }

  function run(file: string, args: string[], env: Record<string, string> = {}): Proc {
    const p = start(file, args, env);
    procs.push(p);
    return p;
  }

  beforeAll(async () => {
    net = await TestNetwork.start(ringMembers(['alpha', 'beta']), { streamPollMs: 100 });
    writer = await net.token('alpha', { scopes: ['read', 'write'] });
    dir = mkdtempSync(join(tmpdir(), 'infrared-watch-'));
  });
  afterEach(async () => {
    for (const p of procs.splice(0)) {
      if (p.child.exitCode === null) p.child.kill('SIGKILL');
      await p.exited;
    }
  });
  afterAll(() => net.stop());

  it('prints each change as a JSON line, and resumes from its state file after a restart without losing the changes made meanwhile', async () => {
    const state = join(dir, 'watch-state.json');
    const args = ['watch', '--url', net.gateway.url, '--kinds', 'INCIDENT', '--state', state];
    const first = run(CLI, args);
    await connected(first);
    const a = await report('HIGH');
    await first.until((o) => o.stdout.includes(a));
    expect(jsonLines(first.stdout)).toEqual([{ cursor: expect.stringMatching(/^n1\./), kind: 'INCIDENT', id: a, operation: 'UPSERT', member: 'alpha', at: expect.any(String), severity: 'HIGH' }]);
    // the state is written right after the line (a change is marked once handed on): on a busy
    // machine the line can reach this process before the file's rename is done
    const savedCursor = () => (existsSync(state) ? (JSON.parse(readFileSync(state, 'utf8')) as { cursor: string }).cursor : undefined);
    await first.until(() => savedCursor() !== undefined);
    expect(savedCursor()).toBe(jsonLines(first.stdout)[0].cursor);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    // while watch is stopped
    const b = await report('LOW');
    const c = await report('CRITICAL');
    const second = run(CLI, args);
    await second.until((o) => o.stdout.includes(c));
    expect(jsonLines(second.stdout).map((l) => l.id)).toEqual([b, c]);
  });

  it('--exec runs the command per change with the change on stdin; a failing command stops watch without marking the change (stop) or is skipped (skip)', async () => {
    const out = join(dir, 'exec-out.jsonl');
    const state = join(dir, 'exec-state.json');
    const ok = run(CLI, ['watch', '--url', net.gateway.url, '--kinds', 'INCIDENT', '--state', state, '--exec', `cat >> ${out}; echo "$INFRARED_CHANGE_CURSOR" >> ${out}.cursors`]);
    await connected(ok);
    const a = await report('MEDIUM');
    await ok.until(() => existsSync(out) && readFileSync(out, 'utf8').includes(a));
    expect(jsonLines(readFileSync(out, 'utf8'))[0]).toMatchObject({ id: a, operation: 'UPSERT' });
    await ok.until(() => existsSync(state));
    expect(readFileSync(`${out}.cursors`, 'utf8').trim()).toBe((JSON.parse(readFileSync(state, 'utf8')) as { cursor: string }).cursor);
    ok.child.kill('SIGTERM');
    await ok.exited;
    const before = readFileSync(state, 'utf8');

    const b = await report('HIGH');
    const failing = run(CLI, ['watch', '--url', net.gateway.url, '--kinds', 'INCIDENT', '--state', state, '--exec', 'exit 3']);
    expect(await failing.exited).toBe(1);
    expect(failing.stderr).toMatch(new RegExp(`--exec exited 3 for the change ${b}; it is not marked handled`));
    expect(readFileSync(state, 'utf8')).toBe(before);

    const skipping = run(CLI, ['watch', '--url', net.gateway.url, '--kinds', 'INCIDENT', '--state', state, '--exec', 'exit 3', '--on-exec-failure', 'skip']);
    await skipping.until((o) => o.stderr.includes(`--exec exited 3 for the change ${b}; skipped`));
    await skipping.until(() => readFileSync(state, 'utf8') !== before);
  });

  it('refuses a forged token clearly', async () => {
    const token = await net.token('alpha');
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.${'A'.repeat(86)}`;
    const p = run(CLI, ['watch', '--url', net.gateway.url, '--token', forged]);
    expect(await p.exited).toBe(1);
    expect(p.stderr).toMatch(/refused the token \(401\)/);
  });

  describe('the incident webhook bot', () => {
    let sink: Server;
    let sinkUrl: string;
    const posts: unknown[] = [];
    let failNext = 0;

    beforeAll(async () => {
      sink = createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          if (failNext > 0) {
            failNext--;
            res.writeHead(503).end();
            return;
          }
          expect(req.headers['content-type']).toBe('application/json');
          posts.push(JSON.parse(body));
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        });
      });
      await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()));
      sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/hooks/test`;
    });
    afterAll(() => new Promise<void>((r) => sink.close(() => r())));

    it('posts new HIGH and CRITICAL incidents as {"text"}, once each, through webhook failures and restarts; nothing else', async () => {
      const state = join(dir, 'bot-state.json');
      const env = { INFRARED_GATEWAY_URL: net.gateway.url, INFRARED_WEBHOOK_URL: sinkUrl, INFRARED_TOKEN: await net.token('beta', { subject: 'incident-bot' }) };
      const bot = run(BOT, ['--state', state], env);
      await connected(bot);
      await report('LOW');
      const high = await report('HIGH');
      failNext = 1; // the hook fails once: the bot retries
      const critical = await report('CRITICAL', 'NETWORK'); // visible to beta's token
      await bot.until(() => posts.length >= 2, 30_000);
      expect(posts).toEqual([{ text: expect.stringContaining(`[HIGH] PHISHING reported by alpha: phishing wave ${high.split(':')[1]}`) }, { text: expect.stringContaining(`id ${critical}`) }]);
      expect((posts[1] as { text: string }).text).toMatch(/^\[CRITICAL\] PHISHING reported by alpha/);
      bot.child.kill('SIGTERM');
      await bot.exited;
      // an edit of a posted incident is not new; a new one while the bot was down is posted after its restart
      await net.query(REPORT, { token: writer, variables: { i: { id: high.split(':')[1], kind: 'PHISHING', severity: 'CRITICAL', observedAt: '2026-11-02T08:00:00Z', visibility: 'PUBLIC' } } });
      const later = await report('HIGH');
      const again = run(BOT, ['--state', state], env);
      await again.until(() => posts.length >= 3, 30_000);
      await new Promise((r) => setTimeout(r, 1000));
      expect(posts).toHaveLength(3);
      expect((posts[2] as { text: string }).text).toContain(`id ${later}`);
    });

    it('exits 1 without marking the incident handled when the hook keeps failing, and posts it on the next start', async () => {
      const state = join(dir, 'bot-fail-state.json');
      const env = { INFRARED_GATEWAY_URL: net.gateway.url, INFRARED_WEBHOOK_URL: sinkUrl };
      const bot = run(BOT, ['--state', state, '--attempts', '2'], env);
      await connected(bot);
      // one posted, so the bot has a place in its state file
      const first = posts.length;
      await report('HIGH');
      await bot.until(() => posts.length === first + 1 && existsSync(state));
      const count = posts.length;
      const saved = readFileSync(state, 'utf8');
      failNext = 2;
      const id = await report('CRITICAL');
      expect(await bot.exited).toBe(1);
      expect(bot.stderr).toMatch(/the webhook did not take the message \(HTTP 503\)/);
      expect(posts).toHaveLength(count);
      expect(readFileSync(state, 'utf8')).toBe(saved);
      const again = run(BOT, ['--state', state], env);
      await again.until(() => posts.length === count + 1, 30_000);
      expect((posts[count] as { text: string }).text).toContain(`id ${id}`);
    });
  });
});

describe('infrared watch and the incident webhook bot as proven callers (members with the default caller policy, proven)', () => {
  let net: TestNetwork;
  let dir: string;
  let bot: CallerKeyFiles;
  let other: CallerKeyFiles;
  let writerKey: CallerKeyPair;
  const procs: Proc[] = [];
  let seq = 0;

  function run(file: string, args: string[], env: Record<string, string> = {}): Proc {
    const p = start(file, args, env);
    procs.push(p);
    return p;
  }

  /** alpha's writer reports a PUBLIC incident through /graphql as a proven caller (a proven member takes writes only so). */
  async function report(severity: string): Promise<string> {
    const id = `p-${++seq}`;
    const token = await net.token('alpha', { scopes: ['read', 'write'], subject: 'writer', boundTo: writerKey.thumbprint });
    const body = JSON.stringify({
      query: REPORT,
      variables: { i: { id, kind: 'PHISHING', severity, observedAt: '2026-11-02T08:00:00Z', visibility: 'PUBLIC', summary: [{ lang: 'en', text: `proven wave ${id}` }] } },
    });
    const proof = await createCallerProof({ key: writerKey.privateKey, publicJwk: writerKey.publicJwk, htm: 'POST', htu: net.gatewayEndpoint!, token, body });
    const res = await postRaw(net.gatewayEndpoint!, body, { authorization: `DPoP ${token}`, dpop: proof });
    expect((res.json as { errors?: unknown }).errors).toBeUndefined();
    return `alpha:${id}`;
  }

  beforeAll(async () => {
    const members = ringMembers(['alpha', 'beta']).map((m) => ({ ...m, callerPolicy: 'proven' as const }));
    net = await TestNetwork.start(members, { streamPollMs: 100 }, { publishGatewayEndpoint: true });
    dir = mkdtempSync(join(tmpdir(), 'infrared-watch-proven-'));
    bot = await writeCallerKeyFiles(dir, 'bot');
    other = await writeCallerKeyFiles(dir, 'other');
    writerKey = await createCallerKeyPair({ extractable: false });
  });
  afterEach(async () => {
    for (const p of procs.splice(0)) {
      if (p.child.exitCode === null) p.child.kill('SIGKILL');
      await p.exited;
    }
  });
  afterAll(() => net.stop());

  it('watch --caller-key follows with a bound token, signing each connection afresh (also after a restart); without the key or with another it refuses clearly', async () => {
    const token = await net.token('beta', { subject: 'watcher', boundTo: bot.thumbprint });
    const state = join(dir, 'proven-watch.json');
    const args = ['watch', '--url', net.gatewayEndpoint!, '--kinds', 'INCIDENT', '--state', state, '--token', token];
    const first = run(CLI, [...args, '--caller-key', bot.privateFile]);
    await connected(first);
    const a = await report('HIGH');
    await first.until((o) => o.stdout.includes(a));
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const b = await report('CRITICAL');
    // a new connection needs a new proof (the gateway takes each proof once): it resumes with one
    const second = run(CLI, [...args], { INFRARED_CALLER_KEY: bot.privateFile });
    await second.until((o) => o.stdout.includes(b));
    expect(jsonLines(second.stdout).map((l) => l.id)).toEqual([b]);

    const withoutKey = run(CLI, args);
    expect(await withoutKey.exited).toBe(2);
    expect(withoutKey.stderr).toMatch(/bound to a caller key \(cnf\.jkt\): give that key with --caller-key/);
    const wrongKey = run(CLI, [...args, '--caller-key', other.privateFile]);
    expect(await wrongKey.exited).toBe(2);
    expect(wrongKey.stderr).toMatch(/--caller-key: .*bound to another key/);
    expect(withoutKey.stdout + wrongKey.stdout).toBe('');
  });

  it('the bot with INFRARED_CALLER_KEY posts a new HIGH incident, its details read from /graphql as a proven caller', async () => {
    const posts: { text: string }[] = [];
    const sink = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        posts.push(JSON.parse(body) as { text: string });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()));
    try {
      const env = {
        INFRARED_GATEWAY_URL: net.gatewayEndpoint!,
        INFRARED_WEBHOOK_URL: `http://127.0.0.1:${(sink.address() as AddressInfo).port}/hooks/proven`,
        INFRARED_TOKEN: await net.token('beta', { subject: 'incident-bot', boundTo: bot.thumbprint }),
        INFRARED_CALLER_KEY: bot.privateFile,
      };
      const proc = run(BOT, ['--state', join(dir, 'proven-bot.json')], env);
      await connected(proc);
      const high = await report('HIGH');
      await proc.until(() => posts.length >= 1, 30_000);
      expect(posts).toEqual([{ text: expect.stringContaining(`[HIGH] PHISHING reported by alpha: proven wave ${high.split(':')[1]}`) }]);
      // the same bound token without its key: the bot refuses to start, saying why
      const keyless = run(BOT, ['--state', join(dir, 'keyless-bot.json')], { ...env, INFRARED_CALLER_KEY: '' });
      expect(await keyless.exited).toBe(2);
      expect(keyless.stderr).toMatch(/bound to a caller key/);
    } finally {
      await new Promise<void>((r) => sink.close(() => r()));
    }
  });
});
