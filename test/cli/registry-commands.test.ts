/**
 * `infrared registry propose | sign | verify | status` with the built CLI: a whole change, where
 * a new member joins and three members sign, checked the way a gateway or member would check it.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { createKeyPair, publicPart } from '../../common/auth/keys';
import { RegistryTrust } from '../../common/registry/registry-trust';
import { readRegistryVersion } from '../../common/registry/signed-registry';
import { createLogger } from '../../common/logger';
import { lines, runCli } from '../support/cli';

jest.setTimeout(180_000);
const dir = mkdtempSync(join(tmpdir(), 'infrared-registry-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ids = ['ar', 'br', 'cl', 'de', 'nuevo'];
const file = join(dir, 'network.yaml');
const next = join(dir, 'network.next.yaml');
const keyFile = (id: string) => join(dir, `${id}.jwk.json`);
const env = { INFRARED_REGISTRY: '', INFRARED_REGISTRY_STATE: '', INFRARED_REGISTRY_PIN: '' };
const cli = (...args: string[]) => runCli(['registry', ...args], { cwd: dir, env });
const entry = async (id: string) => ({ id, name: id, region: 'Test', url: `https://${id}.example/graphql`, keys: [publicPart(JSON.parse(readFileSync(keyFile(id), 'utf8')))] });

beforeAll(async () => {
  for (const id of ids) writeFileSync(keyFile(id), JSON.stringify((await createKeyPair()).privateJwk));
  const members = await Promise.all(ids.slice(0, 4).map(entry));
  writeFileSync(file, `# our network\n${stringify({ network: { id: 'net', name: 'Net' }, threshold: 3, members, gateways: [] })}`);
});

describe('infrared registry', () => {
  it('propose turns a first version into a candidate and prints the hash to pin; status says a service accepts it only when pinned', async () => {
    const proposed = await cli('propose', file);
    expect(proposed.code).toBe(0);
    const hash = readRegistryVersion(readFileSync(file, 'utf8')).hash;
    expect(proposed.stdout).toContain(`hash: ${hash}`);
    expect(proposed.stdout).toContain(`INFRARED_REGISTRY_PIN=${hash}`);
    expect(readFileSync(file, 'utf8')).toMatch(/^# our network\n/);
    const unpinned = await cli('status', '--registry', file);
    expect(unpinned.code).toBe(1);
    expect(unpinned.stderr).toContain(`set INFRARED_REGISTRY_PIN=${hash}`);
    const pinned = await cli('status', '--registry', file, '--pin', hash);
    expect(pinned).toMatchObject({ code: 0 });
    expect(pinned.stdout).toContain('the file is the pinned first version');
  });

  it('a new member joins: propose, the newcomer and three members sign, verify accepts it; two signatures or no newcomer signature are refused', async () => {
    copyFileSync(file, next);
    const doc = parse(readFileSync(next, 'utf8'));
    doc.members.push(await entry('nuevo'));
    writeFileSync(next, stringify(doc));
    const proposed = await cli('propose', next, '--accepted', file);
    expect(proposed.code).toBe(0);
    expect(proposed.stdout).toMatch(/version 2\n/);
    expect(proposed.stdout).toContain('needs 3 signature(s) of members of version 1');

    for (const id of ['ar', 'br']) expect((await cli('sign', next, '--member', id, '--key', keyFile(id))).code).toBe(0);
    const two = await cli('verify', next, '--accepted', file);
    expect(two.code).toBe(1);
    expect(lines(two.stdout)).toContain('not acceptable: signed by 2 member(s) of the accepted registry (ar, br); 3 needed');
    expect(lines(two.stdout)).toContain('not acceptable: new member "nuevo" has not signed with a key of its new entry');

    expect((await cli('sign', next, '--member', 'cl', '--key', keyFile('cl'))).code).toBe(0);
    expect((await cli('verify', next, '--accepted', file)).code).toBe(1);
    const joined = await cli('sign', next, '--member', 'nuevo', '--key', keyFile('nuevo'));
    expect(joined.stdout).toContain('4 signature(s)');
    const ok = await cli('verify', next, '--accepted', file);
    expect(ok.stdout).toContain('acceptable: signed by ar, br, cl');
    expect(ok.code).toBe(0);
  });

  it("a signature by a key that is not the member's in the accepted version does not count", async () => {
    const forged = join(dir, 'forged.yaml');
    copyFileSync(next, forged);
    // de signs with nuevo's key: the signature verifies only against a key de does not have
    expect((await cli('sign', forged, '--member', 'de', '--key', keyFile('nuevo'))).stderr).toContain('is not listed for de');
    const report = await cli('verify', forged, '--accepted', file);
    expect(lines(report.stdout)).toContain(`  FAIL de: key ${JSON.parse(readFileSync(keyFile('nuevo'), 'utf8')).kid} is not de's key in the accepted registry`);
  });

  it('status reads what a service stored and says whether the file takes effect', async () => {
    const logger = createLogger('test', 'silent');
    const stateFile = join(dir, 'state.json');
    await RegistryTrust.open(file, readFileSync(file, 'utf8'), { signatures: 'on', pin: readRegistryVersion(readFileSync(file, 'utf8')).hash, stateFile, production: true, logger });
    const stillFirst = await cli('status', '--registry', file, '--state', stateFile);
    expect(stillFirst.code).toBe(0);
    expect(stillFirst.stdout).toContain('the candidate IS the accepted version');
    const signedNext = await cli('status', '--registry', next, '--state', stateFile);
    expect(signedNext.code).toBe(0);
    expect(signedNext.stdout).toContain('acceptable: signed by ar, br, cl');
    const tampered = join(dir, 'tampered.yaml');
    writeFileSync(tampered, readFileSync(next, 'utf8').replace('https://nuevo.example/graphql', 'https://evil.example/graphql'));
    const refused = await cli('status', '--registry', tampered, '--state', stateFile);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('would be refused; version 1 stays in force');
  });

  it('explains itself: --help with examples, usage errors exit 2', async () => {
    const help = await runCli(['registry', '--help']);
    expect(help.stdout).toContain('a new member joins; three members sign');
    for (const command of ['propose', 'sign', 'verify', 'status']) expect((await runCli(['registry', command, '--help'])).stdout).toContain('Examples:');
    const missing = await cli('verify', join(dir, 'nope.yaml'), '--accepted', file);
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.stderr).toContain('cannot read');
  });
});
