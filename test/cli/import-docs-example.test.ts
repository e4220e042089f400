import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { openDatabase } from '../../subgraphs/member/src/db/orm';
import { parseMemberData } from '../../subgraphs/member/src/import/import-member-data';
import { mispUuids } from '../../subgraphs/member/src/import/misp-export';
import { lines, ROOT, runCli } from '../support/cli';
import { databaseUrl, quietLogger, uniqueSchema } from '../support/network';

/** The example data file in the member guide, taken from the doc so the doc stays true. */
function docsExample(): string {
  const doc = readFileSync(join(ROOT, 'docs/run-your-member-subgraph.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## The member data file'));
  const match = /```yaml\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('no yaml example under "## The member data file" in docs/run-your-member-subgraph.md');
  return match[1];
}

jest.setTimeout(180_000);
const dir = mkdtempSync(join(tmpdir(), 'infrared-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('member import: --check and the import accept the same files', () => {
  const schema = uniqueSchema('kafshata');
  const file = join(dir, 'kafshata.yaml');
  writeFileSync(file, docsExample());
  const importArgs = (...extra: string[]) => ['member', 'import', '--member', 'kafshata', '--database-url', databaseUrl(), '--schema', schema, ...extra, file];

  it('the documented example has records without description or summary (what used to fail)', () => {
    const example = parse(docsExample());
    expect(example.supportOffers[0]).not.toHaveProperty('description');
    expect(example.supportNeeds[0]).not.toHaveProperty('description');
  });

  it('imports the documented example that --check accepts, and a missing description stays empty', async () => {
    const checked = await runCli(importArgs('--check'));
    expect(checked.stderr).toBe('');
    expect(checked.code).toBe(0);
    expect(lines(checked.stdout)).toEqual([`${file}: valid (1 services, 1 projects); nothing was written (--check)`]);

    const imported = await runCli(importArgs());
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const out = lines(imported.stdout);
    expect(out).toEqual(
      expect.arrayContaining([
        'services: 1 created, 0 updated, 0 unchanged, 0 removed',
        'supportOffers: 1 created, 0 updated, 0 unchanged, 0 removed',
        'supportNeeds: 1 created, 0 updated, 0 unchanged, 0 removed',
        'incidents: 1 created, 0 updated, 0 unchanged, 0 removed',
        'trainings: 1 created, 0 updated, 0 unchanged, 0 removed',
      ]),
    );
    expect(out[out.length - 1]).toBe(`${file}: imported (1 services, 1 projects)`);
    expect(imported.stdout).not.toMatch(/\bvalid\b/);

    const orm = await openDatabase({ url: databaseUrl(), schema, poolMax: 1 }, quietLogger());
    try {
      const offers = await orm.em.getConnection().execute<{ description: unknown }[]>(`select description from "${schema}"."support_offer"`);
      expect(offers.map((o) => o.description)).toEqual([{}]);
    } finally {
      await orm.close(true);
    }

    const again = await runCli(importArgs());
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('supportOffers: 0 created, 0 updated, 1 unchanged, 0 removed');
  });

  it('what `member export` writes, --check and the import accept again; --misp gives stable event UUIDs', async () => {
    const exported = await runCli(['member', 'export', '--member', 'kafshata', '--database-url', databaseUrl(), '--schema', schema]);
    expect(exported.code).toBe(0);
    const exportFile = join(dir, 'exported.yaml');
    writeFileSync(exportFile, exported.stdout);
    expect(parse(exported.stdout).supportOffers[0].description).toEqual({});
    const checked = await runCli(['member', 'import', '--member', 'kafshata', '--check', exportFile]);
    expect(checked.stderr).toBe('');
    expect(checked.code).toBe(0);

    const misp = await runCli(['member', 'export', '--member', 'kafshata', '--database-url', databaseUrl(), '--schema', schema, '--misp', '--network', 'testnet', '--max-visibility', 'OWNER']);
    expect(misp.code).toBe(0);
    const events = (JSON.parse(misp.stdout) as { response: { Event: { uuid: string; Orgc: { uuid: string } } }[] }).response.map((r) => r.Event);
    expect(events.map((e) => e.uuid)).toEqual([mispUuids('testnet').event('kafshata:ddos-mail-2026-01')]);
    expect(events[0].Orgc.uuid).toBe(mispUuids('testnet').organisation('kafshata'));
  });

  it('what one validation returns, it accepts again (no "needs at least one language" on its own output)', () => {
    const data = parseMemberData(docsExample(), 'kafshata');
    expect(data.supportOffers[0].description).toEqual({});
    expect(() => parseMemberData(stringify(data), 'kafshata')).not.toThrow();
  });

  it('refuses an invalid file with exit 2, never says "valid", and says nothing was written', async () => {
    const broken = parse(docsExample());
    broken.services[0].kind = 'NOPE';
    const brokenFile = join(dir, 'broken.yaml');
    writeFileSync(brokenFile, stringify(broken));
    for (const extra of [[], ['--check']]) {
      const result = await runCli(['member', 'import', '--member', 'kafshata', '--database-url', databaseUrl(), '--schema', schema, ...extra, brokenFile]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(new RegExp(`^error: ${brokenFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: nothing was written; the data file has 1 problem:\n {2}services\\[0\\]\\.kind: `));
    }
  });

  it('says nothing was written when the database refuses the import', async () => {
    const result = await runCli(['member', 'import', '--member', 'kafshata', '--database-url', 'postgres://nobody@127.0.0.1:9/none', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(/\bvalid\b/);
    expect(result.stderr).toMatch(/^error: .*kafshata\.yaml: nothing was written; the import failed: /);
  });
});
