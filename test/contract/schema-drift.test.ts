import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildMemberSchema } from '../../subgraphs/member/src/graphql/schema';
import { composeSupergraph } from '../../gateway/src/app';
import { SCHEMA_VERSION } from '../../schema/version';

describe('the network contract (schema/)', () => {
  it('schema/member.graphql is exactly what the code generates (run `npm run schema` after a change)', () => {
    const committed = readFileSync(join(__dirname, '../../schema/member.graphql'), 'utf8');
    const generated = buildMemberSchema().sdl;
    expect(committed.slice(committed.indexOf('\n') + 1)).toBe(generated);
  });

  it("composes with the gateway's network subgraph into one supergraph", () => {
    const supergraph = composeSupergraph(buildMemberSchema().sdl);
    for (const field of ['services(', 'incidents(', 'supportMatches(', 'totals(', 'participants:', 'viewer:']) expect(supergraph).toContain(field);
  });

  it('keeps every root field, type and enum value of the published contract', () => {
    const contract = readFileSync(join(__dirname, '../../schema/member.graphql'), 'utf8');
    for (const name of [
      'services(',
      'service(',
      'capacity(',
      'projects(',
      'project(',
      'incidents(',
      'supportOffers(',
      'supportNeeds(',
      'upsertService(',
      'removeService(',
      'reportCapacity(',
      'upsertProject(',
      'joinProject(',
      'reportIncident(',
    ]) {
      expect(contract).toContain(name);
    }
    expect(SCHEMA_VERSION).toMatch(/^1\.\d+\.\d+$/);
  });
});
