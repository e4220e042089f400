/**
 * The `Training` kind through the real gateway and member subgraphs, with no gateway code of its
 * own: the fan-out merges `trainings` in member order, pushes `filter.members` down (only the
 * named members are asked), routes `training(id:)` to the owner and `Member.trainings` by member,
 * and each record carries its member's signature over its public fields.
 */
import { publicPart } from '../../common/auth/keys';
import { compareWithAttested, verifyAttestation } from '../../common/provenance/attestation';
import { ringMembers } from '../support/fixtures';
import { TestNetwork, type TestMember } from '../support/network';

const training = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  title: `Training ${id}`,
  description: { en: `About ${id}`, sq: `Rreth ${id}` },
  languages: ['en'],
  format: 'ONLINE',
  startsAt: '2027-01-10T10:00:00Z',
  visibility: 'PUBLIC',
  ...extra,
});

/** alpha, beta and gamma, each with trainings at different dates, formats and languages. */
function members(): TestMember[] {
  const ring = ringMembers();
  const trainings: Record<string, unknown[]> = {
    alpha: [
      training('late', { startsAt: '2027-03-01T10:00:00Z', format: 'IN_PERSON', region: 'Balkans', seats: 12, languages: ['sq'] }),
      training('early', { startsAt: '2026-12-01T10:00:00Z', endsAt: '2026-12-01T12:00:00Z' }),
      training('hidden', { visibility: 'OWNER' }),
    ],
    beta: [training('clinic', { startsAt: '2027-01-05T10:00:00Z', languages: ['es', 'en'] })],
    gamma: [training('mentoring', { startsAt: '2027-02-01T10:00:00Z', format: 'IN_PERSON', region: 'Southern Europe', description: { en: 'Mentoring for SAFETY trainers' } })],
  };
  for (const m of ring) (m.data as Record<string, unknown>).trainings = trainings[m.id];
  return ring;
}

describe('trainings across the network', () => {
  let net: TestNetwork;
  beforeAll(async () => {
    net = await TestNetwork.start(members());
  });
  afterAll(() => net?.stop());

  const ids = (list: { id: string }[]) => list.map((t) => t.id);

  it('lists every visible training, by member then start time; limit applies after the merge', async () => {
    const { body } = await net.query('{ trainings { id } }');
    expect(body.errors).toBeUndefined();
    expect(ids(body.data!.trainings)).toEqual(['alpha:early', 'alpha:late', 'beta:clinic', 'gamma:mentoring']);
    const limited = await net.query('{ trainings(limit: 3) { id } }');
    expect(ids(limited.body.data!.trainings)).toEqual(['alpha:early', 'alpha:late', 'beta:clinic']);
    // the owner's own callers see its OWNER training too
    const owner = await net.query('{ trainings(filter: { members: ["alpha"] }) { id } }', { token: await net.token('alpha') });
    expect(ids(owner.body.data!.trainings)).toEqual(['alpha:early', 'alpha:hidden', 'alpha:late']);
  });

  it.each([
    ['formats', '{ formats: [IN_PERSON] }', ['alpha:late', 'gamma:mentoring']],
    ['languages', '{ languages: ["es", "sq"] }', ['alpha:late', 'beta:clinic']],
    ['regions', '{ regions: ["Southern Europe"] }', ['gamma:mentoring']],
    ['startsAfter', '{ startsAfter: "2027-01-05T10:00:00Z" }', ['alpha:late', 'beta:clinic', 'gamma:mentoring']],
    ['startsBefore', '{ startsBefore: "2027-01-05T10:00:00Z" }', ['alpha:early']],
    ['text (title and descriptions, any case)', '{ text: "safety" }', ['gamma:mentoring']],
    ['text that is a LIKE wildcard only', '{ text: "%" }', []],
  ])('filters by %s', async (_name, filter, expected) => {
    const { body } = await net.query(`{ trainings(filter: ${filter}) { id } }`);
    expect(body.errors).toBeUndefined();
    expect(ids(body.data!.trainings)).toEqual(expected);
  });

  it('asks only the members named in filter.members (pushed down from the SDL, no gateway code)', async () => {
    const { body } = await net.query('{ trainings(filter: { members: ["beta"] }) { id } }');
    expect(ids(body.data!.trainings)).toEqual(['beta:clinic']);
    expect(Object.keys(body.extensions!.members).sort()).toEqual(['beta']);
    const all = await net.query('{ trainings { id } }');
    expect(Object.keys(all.body.extensions!.members).sort()).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('training(id:) asks the owner only; a hidden training is null like a missing one', async () => {
    const { body } = await net.query('{ training(id: "alpha:late") { id title format region seats startsAt endsAt description(lang: "sq") descriptions { lang } member { id } } }');
    expect(body.data!.training).toEqual({
      id: 'alpha:late',
      title: 'Training late',
      format: 'IN_PERSON',
      region: 'Balkans',
      seats: 12,
      startsAt: '2027-03-01T10:00:00.000Z',
      endsAt: null,
      description: 'Rreth late',
      descriptions: [{ lang: 'en' }, { lang: 'sq' }],
      member: { id: 'alpha' },
    });
    expect(Object.keys(body.extensions!.members)).toEqual(['alpha']);
    const hidden = await net.query('{ training(id: "alpha:hidden") { id title } }');
    const missing = await net.query('{ training(id: "alpha:no-such-training") { id title } }');
    expect(hidden.body.data).toEqual({ training: null });
    expect(hidden.body.errors).toBeUndefined();
    expect({ data: hidden.body.data, errors: hidden.body.errors }).toEqual({ data: missing.body.data, errors: missing.body.errors });
  });

  it('Member.trainings holds each member its own list, resolved at that member', async () => {
    const { body } = await net.query('{ members { id trainings { id member { id } } } }');
    expect(body.errors).toBeUndefined();
    const byMember = Object.fromEntries(body.data!.members.map((m: { id: string; trainings: { id: string; member: { id: string } }[] }) => [m.id, m.trainings]));
    expect(byMember).toEqual({
      alpha: [
        { id: 'alpha:early', member: { id: 'alpha' } },
        { id: 'alpha:late', member: { id: 'alpha' } },
      ],
      beta: [{ id: 'beta:clinic', member: { id: 'beta' } }],
      gamma: [{ id: 'gamma:mentoring', member: { id: 'gamma' } }],
    });
  });

  it("carries its member's signature over its public fields; a changed field fails", async () => {
    const { body } = await net.query('{ training(id: "alpha:late") { id title format region seats startsAt endsAt languages visibility member { id } attestation } }');
    const record = body.data!.training;
    const keysOf = (id: string) => (id === 'alpha' ? [publicPart(net.keys.get('alpha')!) as never] : undefined);
    const verified = await verifyAttestation(record.attestation, keysOf);
    expect(verified.member).toBe('alpha');
    expect(verified.fields).not.toHaveProperty('sharedWith');
    expect(compareWithAttested(record, verified.fields)).toEqual([]);
    expect(compareWithAttested({ ...record, seats: 1200 }, verified.fields)).toEqual(['seats']);
    expect(compareWithAttested({ ...record, startsAt: '2027-03-02T10:00:00.000Z' }, verified.fields)).toEqual(['startsAt']);
  });
});
