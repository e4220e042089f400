/**
 * D. Writes: only a member's own callers with the `write` scope change its data, checked at the
 * owner; nothing is ever written on a refusal or on invalid input.
 */
import { ringMembers } from '../support/fixtures';
import { TestNetwork } from '../support/network';
import { callerOf, gqlBody, postRaw, type CallerName } from './support';

const UPSERT_SERVICE = `mutation($input: ServiceInput!) { upsertService(input: $input) { id name visibility sharedWith } }`;
const REPORT_CAPACITY = `mutation($input: CapacityInput!) { reportCapacity(input: $input) { id total used available } }`;
const UPSERT_PROJECT = `mutation($input: ProjectInput!) { upsertProject(input: $input) { id name } }`;
const REMOVE_SERVICE = `mutation($id: ID!) { removeService(id: $id) }`;
const UPSERT_TRAINING = `mutation($input: TrainingInput!) { upsertTraining(input: $input) { id title format region startsAt endsAt seats visibility sharedWith } }`;
const REMOVE_TRAINING = `mutation($id: ID!) { removeTraining(id: $id) }`;

const serviceInput = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `Written ${id}`,
  kind: 'EMAIL',
  status: 'OPERATIONAL',
  acceptingUsers: true,
  visibility: 'OWNER',
  ...extra,
});
const capacityInput = (id: string, extra: Record<string, unknown> = {}) => ({ id, resource: 'ACCOUNTS', total: 10, used: 5, visibility: 'OWNER', ...extra });
const projectInput = (id: string) => ({ id, name: `Written ${id}`, area: 'SOLIDARITY', status: 'ACTIVE', visibility: 'OWNER' });
const trainingInput = (id: string, extra: Record<string, unknown> = {}) => ({ id, title: `Written ${id}`, format: 'ONLINE', startsAt: '2027-01-16T09:00:00.000Z', visibility: 'OWNER', ...extra });

/** The ring, where every member also offers one PUBLIC training (`clinic`), so that a refused removal has something to remove. */
function members() {
  const ring = ringMembers();
  for (const m of ring) {
    (m.data as Record<string, unknown>).trainings = [
      { id: 'clinic', title: `Clinic of ${m.id}`, format: 'IN_PERSON', region: 'Test region', startsAt: '2027-01-16T09:00:00Z', seats: 10, visibility: 'PUBLIC' },
    ];
  }
  return ring;
}

describe('writes', () => {
  let net: TestNetwork;
  let counter = 0;
  const fresh = (prefix: string) => `${prefix}-${++counter}`;

  beforeAll(async () => {
    net = await TestNetwork.start(members());
  });
  afterAll(() => net?.stop());

  /** Everything a member holds, read directly by its owner (with a valid gateway assertion). */
  async function snapshot(member: string): Promise<unknown> {
    const body = gqlBody(
      '{ services { id name kind status visibility sharedWith updatedAt capacity { id total used } } capacity { id total used visibility sharedWith } projects { id name visibility } trainings { id title format region startsAt endsAt seats visibility sharedWith updatedAt } }',
    );
    const res = await postRaw(net.members.get(member)!.url, body, { 'infrared-assertion': await net.assertion(member, callerOf(member as CallerName), body) });
    expect(res.status).toBe(200);
    expect(res.json.errors).toBeUndefined();
    return res.json.data;
  }

  const readAsOwner = async (member: string, id: string) =>
    (await net.query('query($id: ID!) { service(id: $id) { id name visibility } }', { token: await net.token(member), variables: { id } })).body.data!.service;

  describe('through the gateway', () => {
    it('a caller with the write scope upserts a service at its own member, and reads it back', async () => {
      const id = fresh('new');
      const token = await net.token('alpha', { scopes: ['read', 'write'] });
      const { body } = await net.query(UPSERT_SERVICE, { token, variables: { input: serviceInput(id, { visibility: 'MEMBERS', sharedWith: ['beta'] }) } });
      expect(body.errors).toBeUndefined();
      expect(body.data!.upsertService).toEqual({ id: `alpha:${id}`, name: `Written ${id}`, visibility: 'MEMBERS', sharedWith: ['beta'] });
      expect(await readAsOwner('alpha', `alpha:${id}`)).toEqual({ id: `alpha:${id}`, name: `Written ${id}`, visibility: 'MEMBERS' });
      // the new record's visibility holds at once: beta (listed) sees it, gamma and anonymous do not
      const as = async (member?: string) =>
        (await net.query('query($id: ID!) { service(id: $id) { id } }', { token: member ? await net.token(member) : undefined, variables: { id: `alpha:${id}` } })).body.data!.service;
      expect(await as('beta')).toEqual({ id: `alpha:${id}` });
      expect(await as('gamma')).toBeNull();
      expect(await as()).toBeNull();
      // it landed at alpha only
      for (const other of ['beta', 'gamma']) expect(JSON.stringify(await snapshot(other))).not.toContain(id);
    });

    type Refusal = [string, () => Promise<string | undefined>, string];
    const refusals: Refusal[] = [
      ['a read-only token', () => net.token('alpha', { scopes: ['read'] }), 'FORBIDDEN'],
      ['a token with no scopes', () => net.token('alpha', { scopes: [] }), 'FORBIDDEN'],
      ['no token (anonymous)', async () => undefined, 'UNAUTHENTICATED'],
    ];
    const mutations: [string, string, (id: string) => Record<string, unknown>][] = [
      ['upsertService', UPSERT_SERVICE, (id) => ({ input: serviceInput(id) })],
      ['reportCapacity', REPORT_CAPACITY, (id) => ({ input: capacityInput(id) })],
      ['upsertProject', UPSERT_PROJECT, (id) => ({ input: projectInput(id) })],
      ['removeService', REMOVE_SERVICE, () => ({ id: 'alpha:pub' })],
      ['upsertTraining', UPSERT_TRAINING, (id) => ({ input: trainingInput(id) })],
      ['removeTraining', REMOVE_TRAINING, () => ({ id: 'alpha:clinic' })],
    ];
    const table = refusals.flatMap(([who, token, code]) => mutations.map(([name, query, vars]) => [name, who, code, token, query, vars] as const));

    it.each(table)('%s with %s → %s, and nothing is written anywhere', async (_name, _who, code, token, query, vars) => {
      const before = await Promise.all(['alpha', 'beta', 'gamma'].map(snapshot));
      const { body } = await net.query(query, { token: await token(), variables: vars(fresh('refused')) });
      expect(body.data ?? null).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0].extensions!.code).toBe(code);
      expect(await Promise.all(['alpha', 'beta', 'gamma'].map(snapshot))).toEqual(before);
    });

    it('a write-scoped caller upserts, replaces and removes a training at its own member; visibility holds at once', async () => {
      const id = fresh('training');
      const token = await net.token('alpha', { scopes: ['read', 'write'] });
      const input = trainingInput(id, {
        format: 'IN_PERSON',
        region: 'Balkans',
        endsAt: '2027-01-16T13:00:00.000Z',
        seats: 12,
        visibility: 'MEMBERS',
        sharedWith: ['beta'],
        description: [{ lang: 'en', text: 'Bring your phone' }],
        languages: ['sq'],
      });
      const { body } = await net.query(UPSERT_TRAINING, { token, variables: { input } });
      expect(body.errors).toBeUndefined();
      expect(body.data!.upsertTraining).toEqual({
        id: `alpha:${id}`,
        title: `Written ${id}`,
        format: 'IN_PERSON',
        region: 'Balkans',
        startsAt: '2027-01-16T09:00:00.000Z',
        endsAt: '2027-01-16T13:00:00.000Z',
        seats: 12,
        visibility: 'MEMBERS',
        sharedWith: ['beta'],
      });
      const as = async (member?: string) =>
        (
          await net.query('query($id: ID!) { training(id: $id) { id seats description(lang: "en") sharedWith } }', {
            token: member ? await net.token(member) : undefined,
            variables: { id: `alpha:${id}` },
          })
        ).body.data!.training;
      expect(await as('alpha')).toEqual({ id: `alpha:${id}`, seats: 12, description: 'Bring your phone', sharedWith: ['beta'] });
      expect(await as('beta')).toEqual({ id: `alpha:${id}`, seats: 12, description: 'Bring your phone', sharedWith: null });
      expect(await as('gamma')).toBeNull();
      expect(await as()).toBeNull();
      // a second upsert replaces it: fields left out are cleared, not kept
      const replaced = await net.query(UPSERT_TRAINING, { token, variables: { input: trainingInput(id, { visibility: 'PUBLIC' }) } });
      expect(replaced.body.data!.upsertTraining).toMatchObject({ format: 'ONLINE', region: null, endsAt: null, seats: null, visibility: 'PUBLIC', sharedWith: [] });
      expect(await as()).toEqual({ id: `alpha:${id}`, seats: null, description: null, sharedWith: null });
      for (const other of ['beta', 'gamma']) expect(JSON.stringify(await snapshot(other))).not.toContain(id);
      // removal: true once, then false; the record is gone for its owner too
      expect((await net.query(REMOVE_TRAINING, { token, variables: { id: `alpha:${id}` } })).body.data).toEqual({ removeTraining: true });
      expect((await net.query(REMOVE_TRAINING, { token, variables: { id } })).body.data).toEqual({ removeTraining: false });
      expect(await as('alpha')).toBeNull();
    });

    it("a write-scoped caller cannot address another member's record through the gateway", async () => {
      const token = await net.token('alpha', { scopes: ['read', 'write'] });
      const beforeBeta = await snapshot('beta');
      const removed = await net.query(REMOVE_SERVICE, { token, variables: { id: 'beta:pub' } });
      expect(removed.body.errors![0].extensions!.code).toBe('FORBIDDEN');
      const upserted = await net.query(UPSERT_SERVICE, { token, variables: { input: serviceInput('beta:pub') } });
      expect(upserted.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
      expect(await snapshot('beta')).toEqual(beforeBeta);
      expect(await readAsOwner('beta', 'beta:pub')).toEqual({ id: 'beta:pub', name: 'Service pub', visibility: 'PUBLIC' });
    });

    it("a beta writer's upsert lands at beta, never at alpha, even for an id alpha also has", async () => {
      const beforeAlpha = await snapshot('alpha');
      const token = await net.token('beta', { scopes: ['read', 'write'] });
      const { body } = await net.query(UPSERT_SERVICE, { token, variables: { input: serviceInput('own', { name: 'Renamed by beta' }) } });
      expect(body.errors).toBeUndefined();
      expect(body.data!.upsertService.id).toBe('beta:own');
      expect(await snapshot('alpha')).toEqual(beforeAlpha);
      expect(await readAsOwner('alpha', 'alpha:own')).toEqual({ id: 'alpha:own', name: 'Service own', visibility: 'OWNER' });
    });
  });

  describe('at the member (direct calls with a valid gateway assertion)', () => {
    const direct = async (member: string, who: CallerName, scopes: string[], query: string, variables: Record<string, unknown>) => {
      const body = gqlBody(query, variables);
      return postRaw(net.members.get(member)!.url, body, { 'infrared-assertion': await net.assertion(member, callerOf(who, scopes), body) });
    };

    const foreign: [string, string, Record<string, unknown>][] = [
      ['upsertService (new id)', UPSERT_SERVICE, { input: serviceInput('planted') }],
      ['upsertService (overwrite beta:pub)', UPSERT_SERVICE, { input: serviceInput('pub', { name: 'Hijacked', visibility: 'PUBLIC' }) }],
      ['reportCapacity', REPORT_CAPACITY, { input: capacityInput('pub-cap', { total: 1, used: 1, visibility: 'PUBLIC' }) }],
      ['upsertProject', UPSERT_PROJECT, { input: projectInput('proj-own') }],
      ['removeService', REMOVE_SERVICE, { id: 'beta:pub' }],
      ['removeService (local id)', REMOVE_SERVICE, { id: 'own' }],
      ['upsertTraining (overwrite beta:clinic)', UPSERT_TRAINING, { input: trainingInput('clinic', { title: 'Hijacked', visibility: 'PUBLIC' }) }],
      ['removeTraining', REMOVE_TRAINING, { id: 'beta:clinic' }],
      ['removeTraining (local id)', REMOVE_TRAINING, { id: 'clinic' }],
    ];

    it.each(foreign)('an alpha caller with read+write cannot %s at beta: FORBIDDEN, beta unchanged', async (_name, query, variables) => {
      const before = await snapshot('beta');
      const res = await direct('beta', 'alpha', ['read', 'write'], query, variables);
      expect(res.status).toBe(200);
      expect(res.json.data).toBeNull();
      expect(res.json.errors).toHaveLength(1);
      expect(res.json.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(await snapshot('beta')).toEqual(before);
    });

    it.each([
      ['alpha without write', 'FORBIDDEN', 'alpha', ['read']],
      ['anonymous', 'UNAUTHENTICATED', 'anonymous', []],
    ] as [string, string, CallerName, string[]][])('the owner checks again: %s → %s', async (_name, code, who, scopes) => {
      const before = await snapshot('alpha');
      const res = await direct('alpha', who, scopes, REMOVE_SERVICE, { id: 'alpha:pub' });
      expect(res.json.errors[0].extensions.code).toBe(code);
      expect(await snapshot('alpha')).toEqual(before);
    });

    it('no assertion at all → UNAUTHENTICATED, nothing written', async () => {
      const before = await snapshot('alpha');
      const res = await postRaw(net.members.get('alpha')!.url, gqlBody(REMOVE_SERVICE, { id: 'alpha:pub' }));
      expect(res.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(await snapshot('alpha')).toEqual(before);
    });
  });

  describe('invalid input', () => {
    type Bad = [string, string, (id: string) => Record<string, unknown>, RegExp];
    const bad: Bad[] = [
      ['reportCapacity with used > total', REPORT_CAPACITY, (id) => ({ input: capacityInput(id, { total: 10, used: 11 }) }), /^used: must not exceed total \(10\)$/],
      ['reportCapacity with a negative total', REPORT_CAPACITY, (id) => ({ input: capacityInput(id, { total: -1, used: 0 }) }), /^total: /],
      [
        'reportCapacity with numbersVisibility laxer than visibility',
        REPORT_CAPACITY,
        (id) => ({ input: capacityInput(id, { visibility: 'OWNER', numbersVisibility: 'PUBLIC' }) }),
        /^numbersVisibility: must be as strict/,
      ],
      ['reportCapacity with a bad local id', REPORT_CAPACITY, () => ({ input: capacityInput('Bad Id!') }), /^id: expected a local id/],
      ['reportCapacity on a service that does not exist', REPORT_CAPACITY, (id) => ({ input: capacityInput(id, { serviceId: 'no-such-service' }) }), /^serviceId: no service/],
      ['upsertService with a bad local id', UPSERT_SERVICE, () => ({ input: serviceInput('Bad Id!') }), /^id: expected a local id/],
      ["upsertService with another member's prefix", UPSERT_SERVICE, () => ({ input: serviceInput('beta:planted') }), /^id: expected a local id/],
      ['upsertService with an empty name', UPSERT_SERVICE, (id) => ({ input: serviceInput(id, { name: '   ' }) }), /^name: must not be empty$/],
      ['upsertService with a non-http url', UPSERT_SERVICE, (id) => ({ input: serviceInput(id, { url: 'javascript:alert(1)' }) }), /^url: expected an http\(s\) URL$/],
      ['upsertService shared with a malformed member id', UPSERT_SERVICE, (id) => ({ input: serviceInput(id, { visibility: 'MEMBERS', sharedWith: ['Not A Member'] }) }), /^sharedWith\[0\]: /],
      ['upsertProject with a bad local id', UPSERT_PROJECT, () => ({ input: projectInput('../etc') }), /^id: expected a local id/],
      ['upsertTraining IN_PERSON without a region', UPSERT_TRAINING, (id) => ({ input: trainingInput(id, { format: 'IN_PERSON' }) }), /^region: an IN_PERSON training needs a region/],
      ['upsertTraining ending before it starts', UPSERT_TRAINING, (id) => ({ input: trainingInput(id, { endsAt: '2027-01-16T08:00:00Z' }) }), /^endsAt: must not be before startsAt$/],
      ['upsertTraining with 0 seats', UPSERT_TRAINING, (id) => ({ input: trainingInput(id, { seats: 0 }) }), /^seats: must be at least 1$/],
      ['upsertTraining with an empty title', UPSERT_TRAINING, (id) => ({ input: trainingInput(id, { title: ' ' }) }), /^title: must not be empty$/],
      ["upsertTraining with another member's prefix", UPSERT_TRAINING, () => ({ input: trainingInput('beta:planted') }), /^id: expected a local id/],
      ['upsertTraining with a bad language tag', UPSERT_TRAINING, (id) => ({ input: trainingInput(id, { languages: ['not a tag'] }) }), /^languages\[0\]: expected a BCP 47/],
    ];

    it.each(bad)('%s → BAD_USER_INPUT with field messages, nothing written', async (_name, query, vars, field) => {
      const token = await net.token('alpha', { scopes: ['read', 'write'] });
      const before = await snapshot('alpha');
      const { body } = await net.query(query, { token, variables: vars(fresh('bad')) });
      expect(body.data ?? null).toBeNull();
      expect(body.errors).toHaveLength(1);
      const error = body.errors![0];
      expect(error.extensions!.code).toBe('BAD_USER_INPUT');
      expect(error.extensions!.fields).toEqual(expect.arrayContaining([expect.stringMatching(field)]));
      expect(error.message).toMatch(/^Invalid input: /);
      expect(await snapshot('alpha')).toEqual(before);
    });
  });
});
