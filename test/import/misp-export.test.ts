import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import Ajv from 'ajv-draft-04';
import { INDICATOR_TYPES, type Indicator } from '../../common/indicators';
import { openDatabase } from '../../subgraphs/member/src/db/orm';
import { importMemberData } from '../../subgraphs/member/src/import/import-member-data';
import { exportMisp, mispCategory, mispType, mispUuids } from '../../subgraphs/member/src/import/misp-export';
import { databaseUrl, quietLogger, uniqueSchema } from '../support/network';

/** PyMISP's strict event schema and MISP's type list, unchanged (see test/fixtures/misp/README.md). */
const FIXTURES = join(__dirname, '../fixtures/misp');
const schema = JSON.parse(readFileSync(join(FIXTURES, 'schema.json'), 'utf8'));
const describeTypes = JSON.parse(readFileSync(join(FIXTURES, 'describeTypes.json'), 'utf8')).result as {
  types: string[];
  categories: string[];
  category_type_mappings: Record<string, string[]>;
};
// strict off: PyMISP's schema keeps its definitions under a non-standard `defs` key and has a
// stray `required` inside one `properties`; both are harmless to validation
const validateEvent = new Ajv({ strict: false, allErrors: true }).compile(schema);
const errorsOf = (event: unknown) => (validateEvent(event) ? [] : validateEvent.errors!.map((e) => `${e.instancePath} ${e.message}`));

const MEMBER = 'kafshata';
const V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const EVERY_TYPE: Indicator[] = [
  { type: 'IP', value: '203.0.113.7' },
  { type: 'IP', value: '2001:db8::1' },
  { type: 'CIDR', value: '198.51.100.0/24' },
  { type: 'DOMAIN', value: 'bad.example' },
  { type: 'URL', value: 'https://bad.example/login' },
  { type: 'EMAIL', value: 'phish@bad.example' },
  { type: 'HASH', value: 'd41d8cd98f00b204e9800998ecf8427e' },
  { type: 'HASH', value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' },
  { type: 'HASH', value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
  { type: 'ASN', value: 'AS64501' },
];
const file = {
  member: MEMBER,
  incidents: [
    {
      id: 'every-type',
      kind: 'PHISHING',
      severity: 'HIGH',
      observedAt: '2026-03-01T10:00:00Z',
      summary: { en: 'Every kind of indicator' },
      indicators: [...EVERY_TYPE, EVERY_TYPE[0]],
      visibility: 'PUBLIC',
    },
    { id: 'ddos', kind: 'DDOS', severity: 'LOW', status: 'MITIGATED', observedAt: '2026-02-01T10:00:00Z', indicators: [{ type: 'IP', value: '203.0.113.7' }], visibility: 'NETWORK' },
    { id: 'no-indicators', kind: 'DDOS', severity: 'MEDIUM', observedAt: '2026-01-01T10:00:00Z', visibility: 'OWNER' },
  ],
};

describe('member export --misp', () => {
  let orm: MikroORM;
  const dbSchema = uniqueSchema(MEMBER);

  beforeAll(async () => {
    orm = await openDatabase({ url: databaseUrl(), schema: dbSchema, poolMax: 2 }, quietLogger());
    await importMemberData(orm, MEMBER, file as never);
  });
  afterAll(async () => {
    // the schema is dropped by the global teardown (see test/support/global-teardown.ts)
    await orm.close(true);
  });

  it("passes PyMISP's strict event schema, every event of it", async () => {
    const { response } = await exportMisp(orm, MEMBER, { networkId: 'infrared', maxVisibility: 'OWNER' });
    expect(response).toHaveLength(3);
    for (const event of response) expect(errorsOf(event)).toEqual([]);
  });

  it('the schema is not a formality: it refuses an event whose organisation has no uuid (as before)', async () => {
    const { response } = await exportMisp(orm, MEMBER, { maxVisibility: 'OWNER' });
    const event = structuredClone(response[0]) as { Event: { Orgc: { uuid?: string } } };
    delete event.Event.Orgc.uuid;
    expect(errorsOf(event)).toEqual(["/Event/Orgc must have required property 'uuid'"]);
  });

  it('gives events, attributes and the organisation UUIDs v5 that stay the same across exports and re-imports', async () => {
    const first = await exportMisp(orm, MEMBER, { networkId: 'infrared', maxVisibility: 'OWNER' });
    await importMemberData(orm, MEMBER, file as never);
    const second = await exportMisp(orm, MEMBER, { networkId: 'infrared', maxVisibility: 'OWNER' });
    expect(second).toEqual(first);

    type Event = { uuid: string; Orgc: { uuid: string; name: string }; Attribute: { uuid: string; type: string; value: string }[] };
    const events = first.response.map((r) => r.Event as unknown as Event);
    const uuids = mispUuids('infrared');
    expect(events.map((e) => e.uuid)).toEqual(['kafshata:every-type', 'kafshata:ddos', 'kafshata:no-indicators'].map(uuids.event));
    const all = [...events.map((e) => e.uuid), ...events.flatMap((e) => e.Attribute.map((a) => a.uuid)), events[0].Orgc.uuid];
    for (const uuid of all) expect(uuid).toMatch(V5);
    expect(new Set(all).size).toBe(all.length); // the same indicator in two incidents is two attributes
    expect(new Set(events.map((e) => e.Orgc.uuid))).toEqual(new Set([uuids.organisation(MEMBER)]));
    expect(events[0].Attribute).toHaveLength(EVERY_TYPE.length); // the repeated indicator is one attribute

    const elsewhere = await exportMisp(orm, MEMBER, { networkId: 'other-network', maxVisibility: 'OWNER' });
    expect((elsewhere.response[0].Event as unknown as Event).uuid).not.toBe(events[0].uuid);
    expect((elsewhere.response[0].Event as unknown as Event).Orgc.uuid).not.toBe(events[0].Orgc.uuid);
  });

  it("uses attribute types and categories from MISP's describeTypes.json, each category allowed for its type", async () => {
    const { response } = await exportMisp(orm, MEMBER, { maxVisibility: 'OWNER' });
    const attributes = response.flatMap((r) => (r.Event as { Attribute: { type: string; category: string }[] }).Attribute);
    expect(new Set(attributes.map((a) => a.type))).toEqual(new Set(['ip-dst', 'domain', 'url', 'email-src', 'md5', 'sha1', 'sha256', 'AS']));
    const checked = [...attributes, ...EVERY_TYPE.map((i) => ({ type: mispType(i), category: mispCategory(i) }))];
    expect(new Set(EVERY_TYPE.map((i) => i.type))).toEqual(new Set(INDICATOR_TYPES));
    for (const { type, category } of checked) {
      expect(describeTypes.types).toContain(type);
      expect(describeTypes.categories).toContain(category);
      expect(describeTypes.category_type_mappings[category]).toContain(type);
    }
  });
});
