import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ringMembers } from '../support/fixtures';
import { TestNetwork } from '../support/network';

const ROOT = join(__dirname, '../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const docs = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

describe('the docs', () => {
  it.each(docs)('%s has no placeholder where figures or text should be', (file) => {
    expect(read(file)).not.toMatch(/will be added|\bTODO\b|\bTBD\b/i);
  });

  it('operate-gateway.md gives measured figures for performance', () => {
    const performance = read('docs/operate-gateway.md').split('## Performance')[1].split('\n## ')[0];
    expect(performance).toMatch(/\| what \| figure \|/);
    expect(performance.match(/\d+(\.\d+)?\s?(ms|MB|req\/s|×)/g)?.length ?? 0).toBeGreaterThan(10);
  });

  it('query-the-network.md documents publicCatalogue and the error policy of the usual clients', () => {
    const guide = read('docs/query-the-network.md');
    expect(guide).toMatch(/errorPolicy: 'all'/);
    expect(guide).toMatch(/rawRequest/);
    expect(guide).toMatch(/publicCatalogue\(filter:/);
  });
});

describe('the publicCatalogue query in query-the-network.md', () => {
  let net: TestNetwork;
  beforeAll(async () => {
    net = await TestNetwork.start(ringMembers(['alpha', 'beta']), { publicIndexRefreshSeconds: 1 });
  });
  afterAll(() => net.stop());

  it('runs as documented, against a gateway with the public index on', async () => {
    const section = read('docs/query-the-network.md').split('### The public catalogue')[1];
    const documented = /```graphql\n([\s\S]*?)```/.exec(section)![1];
    // the documented filter narrows to what the fixture has, so the answer is checked by shape
    const query = documented.replace(/\(filter: [^)]*\)/, '(filter: { acceptingUsers: true }, limit: 50)');
    expect(query).not.toBe(documented);
    for (let i = 0; i < 50; i++) {
      const { body } = await net.query(documented);
      expect(body.errors).toBeUndefined();
      const all = await net.query(query);
      expect(all.body.errors).toBeUndefined();
      if (all.body.data?.publicCatalogue) {
        expect(all.body.data.publicCatalogue).toMatchObject({ refreshedAt: expect.any(String), missingMembers: [] });
        expect(all.body.data.publicCatalogue.entries.map((e: { id: string }) => e.id)).toEqual(['alpha:pub', 'beta:pub']);
        expect(all.body.data.publicCatalogue.entries[0].member).toMatchObject({ id: 'alpha', region: expect.any(String) });
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the public index never filled');
  });
});
