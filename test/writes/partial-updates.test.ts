/**
 * Partial updates (`update<Type>(id, patch, expectedVersion)`) through the gateway over real HTTP:
 * one field changes and the rest stays, the full write's checks apply, versions are optimistic
 * locks, and concurrent writes to one record never lose each other's changes.
 */
import { ringMembers } from '../support/fixtures';
import { TestNetwork } from '../support/network';

const REPORT_INCIDENT = `mutation($input: IncidentInput!) { reportIncident(input: $input) { id status version } }`;
const UPDATE_INCIDENT = `mutation($id: ID!, $patch: IncidentPatch!, $v: Int) {
  updateIncident(id: $id, patch: $patch, expectedVersion: $v) { id status severity mitigation summary(lang: "en") indicators { type value } visibility version }
}`;
const UPDATE_CAPACITY = `mutation($id: ID!, $patch: CapacityPatch!, $v: Int) { updateCapacity(id: $id, patch: $patch, expectedVersion: $v) { id total used available version } }`;
const UPDATE_SERVICE = `mutation($id: ID!, $patch: ServicePatch!, $v: Int) { updateService(id: $id, patch: $patch, expectedVersion: $v) { id name url software regions languages version } }`;
const READ_INCIDENT = `{ incidents { id } }`;

describe('partial updates', () => {
  let net: TestNetwork;
  let writer: string;
  let counter = 0;
  const fresh = (prefix: string) => `${prefix}-${++counter}`;

  beforeAll(async () => {
    net = await TestNetwork.start(ringMembers());
    writer = await net.token('alpha', { scopes: ['read', 'write'] });
  });
  afterAll(() => net?.stop());

  async function reportIncident(id: string) {
    const { body } = await net.query(REPORT_INCIDENT, {
      token: writer,
      variables: {
        input: {
          id,
          kind: 'DDOS',
          severity: 'HIGH',
          observedAt: '2026-11-01T10:00:00Z',
          summary: [{ lang: 'en', text: 'SYN flood on the mail relay' }],
          mitigation: 'rate limits at the edge',
          indicators: [{ type: 'IP', value: '192.0.2.7' }],
          visibility: 'NETWORK',
        },
      },
    });
    expect(body.errors).toBeUndefined();
    return body.data!.reportIncident as { id: string; version: number };
  }

  it("changes an incident's status only: indicators, summary and mitigation stay, and the version goes up by one", async () => {
    const created = await reportIncident(fresh('inc'));
    expect(created.version).toBe(1);
    const { body } = await net.query(UPDATE_INCIDENT, { token: writer, variables: { id: created.id, patch: { status: 'CLOSED' }, v: 1 } });
    expect(body.errors).toBeUndefined();
    expect(body.data!.updateIncident).toEqual({
      id: created.id,
      status: 'CLOSED',
      severity: 'HIGH',
      mitigation: 'rate limits at the edge',
      summary: 'SYN flood on the mail relay',
      indicators: [{ type: 'IP', value: '192.0.2.7' }],
      visibility: 'NETWORK',
      version: 2,
    });
  });

  it('applies the full write checks: indicators are normalised, invalid values refused, and nothing changes on a refusal', async () => {
    const { id } = await reportIncident(fresh('inc'));
    const ok = await net.query(UPDATE_INCIDENT, { token: writer, variables: { id, patch: { indicators: [{ type: 'DOMAIN', value: 'Example.ORG.' }] } } });
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data!.updateIncident.indicators).toEqual([{ type: 'DOMAIN', value: 'example.org' }]);
    const bad = await net.query(UPDATE_INCIDENT, { token: writer, variables: { id, patch: { indicators: [{ type: 'IP', value: '999.1.1.1' }] } } });
    expect(bad.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const after = await net.query(UPDATE_INCIDENT, { token: writer, variables: { id, patch: { severity: 'LOW' } } });
    expect(after.body.data!.updateIncident).toMatchObject({ indicators: [{ type: 'DOMAIN', value: 'example.org' }], severity: 'LOW', version: 3 });
  });

  it('null clears a nullable field, and is refused (with the field named) on a required one', async () => {
    const { id } = await reportIncident(fresh('inc'));
    const cleared = await net.query(UPDATE_INCIDENT, { token: writer, variables: { id, patch: { mitigation: null } } });
    expect(cleared.body.errors).toBeUndefined();
    expect(cleared.body.data!.updateIncident).toMatchObject({ mitigation: null, summary: 'SYN flood on the mail relay', version: 2 });
    const refused = await net.query(UPDATE_INCIDENT, { token: writer, variables: { id, patch: { status: null } } });
    expect(refused.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [expect.stringMatching(/^status: cannot be cleared/)] });
    const empty = await net.query(UPDATE_INCIDENT, { token: writer, variables: { id, patch: {} } });
    expect(empty.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("changes a capacity's used figure only, and keeps the rule used <= total", async () => {
    const first = await net.query(UPDATE_CAPACITY, { token: writer, variables: { id: 'alpha:loose', patch: { used: 20 } } });
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data!.updateCapacity).toMatchObject({ id: 'alpha:loose', total: 50, used: 20, available: 30 });
    const over = await net.query(UPDATE_CAPACITY, { token: writer, variables: { id: 'alpha:loose', patch: { used: 51 } } });
    expect(over.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [expect.stringContaining('used')] });
  });

  it('a stale expectedVersion is a CONFLICT that names the current version, and changes nothing', async () => {
    const { id } = await reportIncident(fresh('inc'));
    await net.query(UPDATE_INCIDENT, { token: writer, variables: { id, patch: { status: 'MITIGATED' }, v: 1 } });
    const stale = await net.query(UPDATE_INCIDENT, { token: writer, variables: { id, patch: { status: 'CLOSED' }, v: 1 } });
    expect(stale.body.data).toBeNull();
    expect(stale.body.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2, member: 'alpha' });
    const now = await net.query(UPDATE_INCIDENT, { token: writer, variables: { id, patch: { severity: 'LOW' }, v: 2 } });
    expect(now.body.data!.updateIncident).toMatchObject({ status: 'MITIGATED', version: 3 });
  });

  it('the full write takes expectedVersion too', async () => {
    const { id } = await reportIncident(fresh('inc'));
    const input = { id: id.split(':')[1], kind: 'SPAM', severity: 'LOW', observedAt: '2026-11-02T00:00:00Z' };
    const stale = await net.query(`mutation($input: IncidentInput!) { reportIncident(input: $input, expectedVersion: 5) { version } }`, { token: writer, variables: { input } });
    expect(stale.body.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 1 });
    const fine = await net.query(`mutation($input: IncidentInput!) { reportIncident(input: $input, expectedVersion: 1) { version kind mitigation } }`, { token: writer, variables: { input } });
    expect(fine.body.data!.reportIncident).toEqual({ version: 2, kind: 'SPAM', mitigation: null });
  });

  it('concurrent patches of different fields all land (no lost update), each on its own version', async () => {
    const patches = [{ name: 'Renamed' }, { url: 'https://mail.example.org' }, { software: 'Postfix' }, { regions: ['Tirana'] }, { languages: ['sq'] }, { name: 'Renamed again' }];
    const before = (await net.query(UPDATE_SERVICE, { token: writer, variables: { id: 'alpha:net', patch: { software: 'none' } } })).body.data!.updateService;
    const results = await Promise.all(patches.map((patch) => net.query(UPDATE_SERVICE, { token: writer, variables: { id: 'alpha:net', patch } })));
    for (const r of results) expect(r.body.errors).toBeUndefined();
    const versions = results.map((r) => r.body.data!.updateService.version as number).sort((a, b) => a - b);
    expect(versions).toEqual(patches.map((_, i) => before.version + 1 + i));
    const last = results.find((r) => r.body.data!.updateService.version === before.version + patches.length)!.body.data!.updateService;
    expect(last).toMatchObject({ url: 'https://mail.example.org', software: 'Postfix', regions: ['Tirana'], languages: ['sq'] });
    expect(['Renamed', 'Renamed again']).toContain(last.name);
  });

  it('concurrent writes with the same expectedVersion: exactly one wins, the others get CONFLICT with the new version', async () => {
    const { id } = await reportIncident(fresh('inc'));
    const severities = ['LOW', 'MEDIUM', 'CRITICAL', 'HIGH', 'LOW'];
    const results = await Promise.all(severities.map((severity) => net.query(UPDATE_INCIDENT, { token: writer, variables: { id, patch: { severity }, v: 1 } })));
    const won = results.filter((r) => !r.body.errors);
    const lost = results.filter((r) => r.body.errors);
    expect(won).toHaveLength(1);
    expect(won[0].body.data!.updateIncident.version).toBe(2);
    for (const r of lost) expect(r.body.errors![0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
  });

  it('refuses callers without the write scope, other members and anonymous callers, and unknown ids', async () => {
    const cases: [string | undefined, string, string][] = [
      [await net.token('alpha', { scopes: ['read'] }), 'alpha:loose', 'FORBIDDEN'],
      [undefined, 'alpha:loose', 'UNAUTHENTICATED'],
      [writer, 'beta:loose', 'FORBIDDEN'],
      [writer, 'alpha:nope', 'NOT_FOUND'],
    ];
    for (const [token, id, code] of cases) {
      const { body } = await net.query(UPDATE_CAPACITY, { token, variables: { id, patch: { used: 1 } } });
      expect([id, body.errors?.[0].extensions?.code]).toEqual([id, code]);
    }
    // beta's own writer cannot reach alpha's record either: writes go to the caller's member
    const beta = await net.token('beta', { scopes: ['read', 'write'] });
    const cross = await net.query(UPDATE_CAPACITY, { token: beta, variables: { id: 'alpha:loose', patch: { used: 1 } } });
    expect(cross.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('a kind added later (trainings) gets its partial update through the generic path, with its own checks', async () => {
    const created = await net.query(`mutation($input: TrainingInput!) { upsertTraining(input: $input) { id version } }`, {
      token: writer,
      variables: { input: { id: 'clinic', title: 'Phone safety clinic', format: 'IN_PERSON', region: 'Tirana', startsAt: '2027-01-16T08:00:00Z', seats: 12, visibility: 'PUBLIC' } },
    });
    expect(created.body.errors).toBeUndefined();
    const patched = await net.query(`mutation { updateTraining(id: "alpha:clinic", patch: { seats: 20 }, expectedVersion: 1) { seats region title version } }`, { token: writer });
    expect(patched.body.data!.updateTraining).toEqual({ seats: 20, region: 'Tirana', title: 'Phone safety clinic', version: 2 });
    // an IN_PERSON session needs a region: clearing it is refused by the kind's own rule
    const refused = await net.query(`mutation { updateTraining(id: "alpha:clinic", patch: { region: null }) { version } }`, { token: writer });
    expect(refused.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [expect.stringContaining('region')] });
  });

  it('visibility rules apply to a patched visibility at once', async () => {
    const { id } = await reportIncident(fresh('inc'));
    const seenBy = async (member?: string) =>
      ((await net.query(READ_INCIDENT, { token: member ? await net.token(member) : undefined })).body.data?.incidents as { id: string }[]).some((i) => i.id === id);
    expect(await seenBy('gamma')).toBe(true);
    const narrowed = await net.query(UPDATE_INCIDENT, { token: writer, variables: { id, patch: { visibility: 'MEMBERS', sharedWith: ['beta'] } } });
    expect(narrowed.body.errors).toBeUndefined();
    expect(await seenBy('beta')).toBe(true);
    expect(await seenBy('gamma')).toBe(false);
    expect(await seenBy()).toBe(false);
  });
});
