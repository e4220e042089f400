/**
 * scripts/examples/follow-network: the documented polling bot, built, as a real process against a
 * real network. It resumes from its state file, applies removals, and resyncs on a stale cursor.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importMemberData } from '../../subgraphs/member/src/import/import-member-data';
import { TestNetwork } from '../support/network';
import { dataFile, type ModelRecord } from './feed-model';

const ROOT = join(__dirname, '../..');
const BOT = join(ROOT, 'dist/scripts/examples/follow-network.js');
if (!existsSync(BOT)) throw new Error(`${BOT} is missing: build first (npx tsc -b .; npm test does it through pretest)`);
jest.setTimeout(120_000);

function run(env: Record<string, string>, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BOT, ...args], { cwd: ROOT, env: { ...process.env, INFRARED_TOKEN: '', NODE_OPTIONS: '', ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('the follow-network example bot', () => {
  let net: TestNetwork;
  let dir: string;
  beforeAll(async () => {
    net = await TestNetwork.start([{ id: 'alpha' }, { id: 'beta' }]);
    dir = mkdtempSync(join(tmpdir(), 'follow-'));
  });
  afterAll(async () => {
    await net?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const write = (owner: string, records: ModelRecord[]) => importMemberData(net.orms.get(owner)!, owner, dataFile(owner, records) as never, { prune: true });

  it('keeps a copy of what its token may see, across runs, and resyncs from scratch on a cursor that is not valid', async () => {
    const state = join(dir, 'state.json');
    const token = await net.token('beta');
    const env = { INFRARED_GATEWAY_URL: net.gateway.url, INFRARED_TOKEN: token };
    await write('alpha', [
      { kind: 'INCIDENT', local: 'ddos', level: 'NETWORK', sharedWith: [], version: 1 },
      { kind: 'SERVICE', local: 'secret', level: 'OWNER', sharedWith: [], version: 1 },
    ]);
    await write('beta', [{ kind: 'SERVICE', local: 'mail', level: 'PUBLIC', sharedWith: [], version: 1 }]);
    const first = await run(env, ['--state', state, '--once']);
    expect([first.code, first.stderr]).toEqual([0, '']);
    expect(Object.keys(JSON.parse(readFileSync(state, 'utf8')).records).sort()).toEqual(['alpha:ddos', 'beta:mail']);
    expect(first.stdout).not.toContain('secret');

    // narrowed away from beta's callers, and a new record: the second run starts from its state
    await write('alpha', [
      { kind: 'INCIDENT', local: 'ddos', level: 'OWNER', sharedWith: [], version: 1 },
      { kind: 'INCIDENT', local: 'scan', level: 'MEMBERS', sharedWith: ['beta'], version: 1 },
    ]);
    const second = await run(env, ['--state', state, '--once']);
    expect(second.code).toBe(0);
    const lines = second.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((c) => [c.id, c.operation]).sort()).toEqual([
      ['alpha:ddos', 'REMOVE'],
      ['alpha:scan', 'UPSERT'],
    ]);
    expect(Object.keys(JSON.parse(readFileSync(state, 'utf8')).records).sort()).toEqual(['alpha:scan', 'beta:mail']);

    // a cursor the network does not accept (here: another caller's): start again from everything
    const saved = JSON.parse(readFileSync(state, 'utf8'));
    writeFileSync(state, JSON.stringify({ ...saved, records: { ...saved.records, 'alpha:ghost': {} } }));
    const other = await run({ ...env, INFRARED_TOKEN: await net.token('alpha') }, ['--state', state, '--once']);
    expect(other.code).toBe(0);
    expect(other.stderr).toMatch(/resync/);
    expect(Object.keys(JSON.parse(readFileSync(state, 'utf8')).records).sort()).toEqual(['alpha:ddos', 'alpha:scan', 'beta:mail']);
  });

  it('is the example query-the-network.md shows', () => {
    const guide = readFileSync(join(ROOT, 'docs/query-the-network.md'), 'utf8');
    const source = readFileSync(join(ROOT, 'scripts/examples/follow-network.ts'), 'utf8');
    const loop = source.slice(source.indexOf('export async function follow'), source.indexOf('if (require.main === module)')).trim();
    expect(guide).toContain(loop);
    const query = /export const NETWORK_CHANGES = `([\s\S]*?)`;/.exec(source)![1];
    expect(guide).toContain(query);
  });
});
