/**
 * scripts/examples/disk-bot: the built bot as a real process, dry and against a real network.
 * The bot runs asynchronously (execFile): the gateway it talks to lives in this process.
 */
import { execFile } from 'node:child_process';
import { existsSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { TestNetwork } from '../support/network';

const ROOT = join(__dirname, '../..');
const BOT = join(ROOT, 'dist/scripts/examples/disk-bot.js');

if (!existsSync(BOT)) throw new Error(`${BOT} is missing: build first (npx tsc -p .; npm test does it through pretest)`);
jest.setTimeout(120_000);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function bot(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const base = { ...process.env, INFRARED_TOKEN: '', INFRARED_GATEWAY_URL: '', NODE_OPTIONS: '' };
    execFile(process.execPath, [BOT, ...args], { cwd: ROOT, env: { ...base, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

interface Printed {
  query: string;
  variables: { input: { id: string; resource: string; total: number; used: number; visibility: string; serviceId?: string } };
}

const oneDecimal = (n: number) => Number.isFinite(n) && Math.round(n * 10) / 10 === n;
/** An error ends the bot with exactly one line on stderr, and nothing on stdout. */
function expectOneLineError(run: Run, code: number, pattern: RegExp): void {
  expect(run.code).toBe(code);
  expect(run.stdout).toBe('');
  expect(run.stderr.endsWith('\n')).toBe(true);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(/^disk-bot: error: /);
  expect(run.stderr).toMatch(pattern);
}

describe('disk-bot --dry-run', () => {
  it('prints the mutation and the variables for the disk of --path, and sends nothing', async () => {
    const run = await bot(['--dry-run', '--path', '/tmp'], { INFRARED_GATEWAY_URL: 'http://127.0.0.1:9/graphql' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as Printed;
    expect(printed.query).toMatch(/^mutation \w+\(\$input: CapacityInput!\) \{\s*reportCapacity\(input: \$input\)/);
    const { input } = printed.variables;
    expect(input).toEqual({ id: 'disk-root', resource: 'STORAGE_GB', total: expect.any(Number), used: expect.any(Number), visibility: 'NETWORK' });
    expect(input.total).toBeGreaterThan(0);
    // a nearly empty tmpfs rounds to 0.0 GB used; the root filesystem never does
    expect(input.used).toBeGreaterThanOrEqual(0);
    expect(input.used).toBeLessThanOrEqual(input.total);
    expect(oneDecimal(input.total) && oneDecimal(input.used)).toBe(true);
    // the same filesystem, measured here: GB of 10^9 bytes, as df shows
    const fs = statfsSync('/tmp');
    expect(Math.abs(input.total - (fs.blocks * fs.bsize) / 1e9)).toBeLessThanOrEqual(0.05 + 1e-9);
  });

  it('the root filesystem by default, and the options land in the variables', async () => {
    const run = await bot(['--dry-run', '--capacity-id', 'disk-data.1', '--service-id', 'hosting', '--visibility', 'owner']);
    expect(run.code).toBe(0);
    const { input } = (JSON.parse(run.stdout) as Printed).variables;
    expect(input).toMatchObject({ id: 'disk-data.1', serviceId: 'hosting', visibility: 'OWNER', resource: 'STORAGE_GB' });
    expect(input.total).toBeGreaterThan(0);
    expect(input.used).toBeGreaterThan(0);
    expect(input.used).toBeLessThanOrEqual(input.total);
  });

  it.each([
    [['--visibility', 'SECRET', '--dry-run'], /--visibility: "SECRET" is not one of PUBLIC, NETWORK, MEMBERS, OWNER/],
    [['--capacity-id', 'Disk Root', '--dry-run'], /--capacity-id: "Disk Root" is not a local id/],
    [['--path', '/no/such/path', '--dry-run'], /--path: cannot read the filesystem of \/no\/such\/path: ENOENT/],
    [['--bogus'], /Unknown option '--bogus'/],
    [[], /INFRARED_TOKEN is not set/],
  ])('usage errors exit 2 with one line: %j', async (args, pattern) => {
    expectOneLineError(await bot(args as string[]), 2, pattern);
  });

  it('an unreachable gateway exits 1 with one line', async () => {
    expectOneLineError(
      await bot(['--path', '/tmp'], { INFRARED_TOKEN: 'x', INFRARED_GATEWAY_URL: 'http://127.0.0.1:9/graphql' }),
      1,
      /cannot reach the gateway at http:\/\/127\.0\.0\.1:9\/graphql: ECONNREFUSED/,
    );
  });
});

describe('disk-bot against a running network', () => {
  let net: TestNetwork;

  beforeAll(async () => {
    net = await TestNetwork.start([{ id: 'ana' }]);
  });
  afterAll(() => net?.stop());

  it("reports the disk as ana's capacity through the gateway, and the owner reads it back", async () => {
    const token = await net.token('ana', { scopes: ['read', 'write'] });
    const run = await bot(['--path', '/tmp', '--capacity-id', 'disk-tmp'], { INFRARED_TOKEN: token, INFRARED_GATEWAY_URL: net.gateway.url });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^reported ana:disk-tmp: [\d.]+ of [\d.]+ GB used on \/tmp \(NETWORK\)\n$/);

    const dry = (JSON.parse((await bot(['--dry-run', '--path', '/tmp'])).stdout) as Printed).variables.input;
    const { body } = await net.query('{ capacity { id resource total used visibility } }', { token });
    expect(body.errors).toBeUndefined();
    const record = body.data!.capacity.find((c: { id: string }) => c.id === 'ana:disk-tmp');
    expect(record).toMatchObject({ id: 'ana:disk-tmp', resource: 'STORAGE_GB', visibility: 'NETWORK', total: dry.total });
    expect(record.used).toBeGreaterThanOrEqual(0);
    expect(record.used).toBeLessThanOrEqual(record.total);
    expect(Math.abs(record.used - dry.used)).toBeLessThanOrEqual(1); // the disk may change between the two runs

    // a second run upserts the same record
    expect((await bot(['--path', '/tmp', '--capacity-id', 'disk-tmp'], { INFRARED_TOKEN: token, INFRARED_GATEWAY_URL: net.gateway.url })).code).toBe(0);
    const again = await net.query('{ capacity { id } }', { token });
    expect(again.body.data!.capacity.filter((c: { id: string }) => c.id === 'ana:disk-tmp')).toHaveLength(1);
  });

  it('a GraphQL error (a token without the write scope) exits 1 with one line, and nothing is written', async () => {
    const token = await net.token('ana', { scopes: ['read'] });
    const run = await bot(['--path', '/tmp', '--capacity-id', 'disk-refused'], { INFRARED_TOKEN: token, INFRARED_GATEWAY_URL: net.gateway.url });
    expectOneLineError(run, 1, /the gateway refused the report \(HTTP \d+\): FORBIDDEN: /);
    const { body } = await net.query('{ capacity { id } }', { token });
    expect(body.data!.capacity.map((c: { id: string }) => c.id)).not.toContain('ana:disk-refused');
  });

  it('a bad token exits 1 with one line', async () => {
    const run = await bot(['--path', '/tmp'], { INFRARED_TOKEN: 'not-a-token', INFRARED_GATEWAY_URL: net.gateway.url });
    expectOneLineError(run, 1, /the gateway refused the report \(HTTP \d+\): UNAUTHENTICATED: /);
  });

  it('an HTTP error without a GraphQL answer exits 1 with one line', async () => {
    const run = await bot(['--path', '/tmp'], { INFRARED_TOKEN: 'x', INFRARED_GATEWAY_URL: net.gateway.url.replace(/\/graphql$/, '/no-such-page') });
    expectOneLineError(run, 1, /the gateway answered HTTP 4\d\d: /);
  });
});
