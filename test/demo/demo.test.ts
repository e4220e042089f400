/**
 * The demo: busy ports are reported before any work (with the flags that choose others), and
 * members can run as their own processes, so one can be frozen (SIGSTOP) to see partial results.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDemoNetwork, type DemoNetwork } from '../../scripts/demo/demo-network';
import { databaseUrl, post, quietLogger } from '../support/network';

const ROOT = join(__dirname, '../..');
const CLI = join(ROOT, 'dist/scripts/cli/infrared.js');
if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm test does it through pretest)`);
jest.setTimeout(180_000);

const dir = mkdtempSync(join(tmpdir(), 'infrared-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: '', NODE_OPTIONS: '' }, timeout: 120_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

async function occupy(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as { port: number }).port };
}

describe('infrared demo: busy ports', () => {
  it.concurrent.each([
    ['the gateway port', 0, 'the gateway'],
    ['a member port', 2, 'member ironweed'],
  ])('%s in use: says which, how to choose others, and starts nothing', async (_what, offset, named) => {
    const busy = await occupy();
    const state = join(dir, `busy-${offset}`);
    try {
      // the gateway on the busy port, or the members' block placed so that the third member lands on it
      const [gatewayPort, memberPort] = offset === 0 ? [busy.port, 0] : [0, busy.port - offset];
      const { code, stdout, stderr } = await run(['demo', '--state', state, '--port', String(gatewayPort), '--member-port', String(memberPort)]);
      expect(code).toBe(1);
      expect(stderr).toContain(`port ${busy.port} (${named}) is already in use`);
      expect(stderr).toMatch(/--port .*--member-port/);
      expect(stdout).not.toMatch(/imported|keys:|database:/);
      expect(existsSync(join(state, 'pgdata'))).toBe(false);
      expect(existsSync(join(state, 'keys'))).toBe(false);
    } finally {
      busy.server.close();
    }
  });
});

describe('infrared demo: a process per member', () => {
  let demo: DemoNetwork;
  const ttl = process.env.INFRARED_RESPONSE_CACHE_TTL_S;

  beforeAll(async () => {
    process.env.INFRARED_RESPONSE_CACHE_TTL_S = '0'; // every query asks the members
    for (let attempt = 1; ; attempt++) {
      try {
        demo = await startDemoNetwork({
          stateDir: join(dir, 'processes'),
          dataDir: resolve(ROOT, 'demo'),
          gatewayPort: 0,
          memberBasePort: 20_000 + Math.floor(Math.random() * 20_000),
          databaseUrl: databaseUrl(),
          log: () => undefined,
          logger: quietLogger(),
          memberProcesses: true,
        });
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 5) throw err;
      }
    }
  });
  afterAll(async () => {
    await demo?.stop();
    if (ttl === undefined) delete process.env.INFRARED_RESPONSE_CACHE_TTL_S;
    else process.env.INFRARED_RESPONSE_CACHE_TTL_S = ttl;
  });

  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  it('runs each member as its own process, and a frozen one only loses its part', async () => {
    const pids = demo.members.map((m) => m.pid!);
    expect(pids.every((pid) => Number.isInteger(pid) && pid !== process.pid && alive(pid))).toBe(true);
    expect(new Set(pids).size).toBe(4);

    const query = '{ members { id } services { id } }';
    const before = await post(demo.gateway.url, query);
    expect(before.body.errors).toBeUndefined();
    const owners = (r: typeof before) => [...new Set((r.body.data!.services as { id: string }[]).map((s) => s.id.split(':')[0]))].sort();
    expect(owners(before)).toEqual(['ciberfeminista', 'ironweed', 'kafshata', 'nodo-sur']);

    const frozen = demo.members.find((m) => m.memberId === 'ironweed')!;
    process.kill(frozen.pid!, 'SIGSTOP');
    try {
      const during = await post(demo.gateway.url, query);
      expect(owners(during)).toEqual(['ciberfeminista', 'kafshata', 'nodo-sur']);
      const unavailable = during.body.errors!.find((e) => e.extensions?.code === 'MEMBER_UNAVAILABLE');
      expect(unavailable?.extensions?.member).toBe('ironweed');
      expect(during.body.extensions!.members.ironweed.status).toBe('timeout');
      expect(during.body.extensions!.members.kafshata.status).toBe('ok');
    } finally {
      process.kill(frozen.pid!, 'SIGCONT');
    }
    const after = await post(demo.gateway.url, query);
    expect(owners(after)).toEqual(['ciberfeminista', 'ironweed', 'kafshata', 'nodo-sur']);
  });

  it('stops every member process with the demo, a frozen one included', async () => {
    const pids = demo.members.map((m) => m.pid!);
    process.kill(pids[0], 'SIGSTOP');
    await demo.stop();
    demo = undefined as never;
    expect(pids.filter(alive)).toEqual([]);
  });
});

/** Processes whose command line mentions `text` (here: a unique state directory). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('infrared demo: stopped while starting', () => {
  it('SIGTERM in the middle of the start leaves no member process behind', async () => {
    const state = join(dir, 'interrupted');
    for (let attempt = 1; ; attempt++) {
      const memberPort = 20_000 + Math.floor(Math.random() * 20_000);
      const child = spawn(process.execPath, [CLI, 'demo', '--state', state, '--port', '0', '--member-port', String(memberPort), '--member-processes'], {
        cwd: ROOT,
        env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: databaseUrl() },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      let out = '';
      child.stderr.on('data', (c) => (out += c));
      const midStart = await new Promise<boolean>((resolveStarted, reject) => {
        child.stdout.on('data', (c) => {
          out += c;
          // by the third import, the first members' processes have been spawned
          if (/member ironweed: imported/.test(out)) resolveStarted(true);
        });
        void exited.then(() => (/already in use/.test(out) && attempt < 4 ? resolveStarted(false) : reject(new Error(`demo exited early: ${out}`))));
      });
      if (!midStart) continue; // a random port block that happened to be taken
      expect(processesMentioning(state).length).toBeGreaterThan(1);
      child.kill('SIGTERM');
      await exited;
      expect(processesMentioning(state)).toEqual([]);
      return;
    }
  });
});
