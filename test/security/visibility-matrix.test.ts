/**
 * E. The visibility matrix: every level × every kind of caller × every read path. Exactly the
 * visible records come back; a hidden one is absent (lists) or null (lookups, nested fields),
 * never an error that reveals it exists. Services, capacity and projects are also read through
 * their nested and lookup paths; every record kind the member serves (`RECORD_KINDS`) is read
 * through its lists, their connections (with `totalCount`), `_entities` and its `Member` field
 * (when it has one) by one fixture row per kind (`KIND_ROWS`).
 */
import type { Visibility } from '../../schema/enums';
import { RECORD_KINDS } from '../../subgraphs/member/src/modules';
import { ringMembers } from '../support/fixtures';
import { TestNetwork, type TestMember } from '../support/network';
import { callerOf, gqlBody, postRaw, type CallerName } from './support';

const LEVELS: [Visibility, string][] = [
  ['PUBLIC', 'pub'],
  ['NETWORK', 'net'],
  ['MEMBERS', 'mem'],
  ['OWNER', 'own'],
];
const CALLERS: CallerName[] = ['anonymous', 'alpha', 'beta', 'gamma'];
const RING = ['alpha', 'beta', 'gamma'];
const next = (member: string) => RING[(RING.indexOf(member) + 1) % RING.length];
const slugOf = (level: Visibility) => LEVELS.find(([l]) => l === level)![1];

/** The policy, as the tests state it: MEMBERS records are shared with the next member in the ring. */
function visible(owner: string, level: Visibility, who: CallerName): boolean {
  switch (level) {
    case 'PUBLIC':
      return true;
    case 'NETWORK':
      return who !== 'anonymous';
    case 'MEMBERS':
      return who === owner || who === next(owner);
    case 'OWNER':
      return who === owner;
  }
}

/** The capacity record at `level` attached to alpha's PUBLIC service. */
const capUnderPub = (level: Visibility) => (level === 'PUBLIC' ? 'pub-cap' : `pub-${slugOf(level)}-cap`);

/**
 * One fixture row per record kind the member subgraph serves (`RECORD_KINDS`): how to give alpha
 * a record of that kind at a level, and how to find it in a list and through `_entities`. A kind
 * that is listed but has no row here fails the first test below, so a new kind is covered the
 * moment it is served.
 */
interface KindRow {
  /** Adds alpha's record at `level` (local id `vm-<slug>`) to its data file. */
  add(data: Record<string, any[]>, level: Visibility): void;
  /** The root list field (the same name through the gateway and at the member). */
  field: string;
  /** The selection that identifies a record, and the identity read back from it. */
  selection: string;
  keyOf(record: Record<string, any>): string;
  /** The identity of alpha's record at `level`. */
  key(level: Visibility): string;
  /** Its federated type, or null when it has no `@key` (not reachable through `_entities`). */
  typename: string | null;
  /** Whom alpha's MEMBERS record is shared with (the data file may not be able to say). */
  membersSharedWith: string[];
  /** The `sharedWith` its owner reads back for alpha's record at `level`, when not what `add` wrote (`sharedFor`). */
  storedSharedWith?: (level: Visibility) => string[];
}

const vm = (level: Visibility) => `vm-${slugOf(level)}`;
const sharedFor = (level: Visibility) => (level === 'MEMBERS' ? ['beta'] : []);
const byId = { selection: 'id', keyOf: (r: Record<string, any>) => r.id as string, key: (level: Visibility) => `alpha:${vm(level)}`, membersSharedWith: ['beta'] };
const push = (data: Record<string, any[]>, list: string, record: Record<string, unknown>) => (data[list] ??= []).push(record);

const KIND_ROWS: Record<string, KindRow> = {
  services: {
    ...byId,
    field: 'services',
    typename: 'Service',
    add: (data, level) =>
      push(data, 'services', {
        id: vm(level),
        name: `Kind row ${vm(level)}`,
        kind: 'EMAIL',
        status: 'OPERATIONAL',
        acceptingUsers: true,
        visibility: level,
        sharedWith: sharedFor(level),
        capacity: [],
      }),
  },
  capacity: {
    ...byId,
    field: 'capacity',
    typename: 'Capacity',
    add: (data, level) => push(data, 'capacity', { id: vm(level), resource: 'STORAGE_GB', total: 10, used: 1, visibility: level, sharedWith: sharedFor(level) }),
  },
  projects: {
    ...byId,
    field: 'projects',
    typename: 'Project',
    add: (data, level) =>
      push(data, 'projects', { id: vm(level), name: `Kind row ${vm(level)}`, area: 'SOLIDARITY', status: 'ACTIVE', participants: [], needs: [], visibility: level, sharedWith: sharedFor(level) }),
  },
  incidents: {
    ...byId,
    field: 'incidents',
    typename: 'Incident',
    add: (data, level) => push(data, 'incidents', { id: vm(level), kind: 'DDOS', severity: 'HIGH', observedAt: '2026-01-14T03:20:00Z', visibility: level, sharedWith: sharedFor(level) }),
  },
  supportOffers: {
    ...byId,
    field: 'supportOffers',
    typename: 'SupportOffer',
    add: (data, level) => push(data, 'supportOffers', { id: vm(level), kind: 'TRAINING', title: `Kind row ${vm(level)}`, visibility: level, sharedWith: sharedFor(level) }),
  },
  supportNeeds: {
    ...byId,
    field: 'supportNeeds',
    typename: 'SupportNeed',
    add: (data, level) => push(data, 'supportNeeds', { id: vm(level), kind: 'FUNDING', title: `Kind row ${vm(level)}`, visibility: level, sharedWith: sharedFor(level) }),
  },
  participations: {
    field: 'participations',
    typename: null,
    selection: 'projectId member { id }',
    keyOf: (r) => `${r.member.id}|${r.projectId}`,
    key: (level) => `alpha|beta:${vm(level)}`,
    // no sharedWith in the file: a MEMBERS participation is shared with the project's lead (beta), as joinProject records it
    membersSharedWith: ['beta'],
    storedSharedWith: () => ['beta'],
    add: (data, level) => push(data, 'participations', { projectId: `beta:${vm(level)}`, visibility: level }),
  },
  trainings: {
    ...byId,
    field: 'trainings',
    typename: 'Training',
    add: (data, level) =>
      push(data, 'trainings', {
        id: vm(level),
        title: `Kind row ${vm(level)}`,
        format: 'IN_PERSON',
        region: 'Balkans',
        startsAt: '2027-01-16T09:00:00Z',
        seats: 12,
        visibility: level,
        sharedWith: sharedFor(level),
      }),
  },
};

/** The policy for a record whose MEMBERS level is shared with `sharedWith`. */
function visibleTo(owner: string, level: Visibility, who: CallerName, sharedWith: string[]): boolean {
  return level === 'MEMBERS' ? who === owner || sharedWith.includes(who) : visible(owner, level, who);
}

/**
 * The ring fixture, plus for alpha: capacity at every level under its PUBLIC service, a PUBLIC
 * capacity under each of its services (to test `Capacity.service`), projects at every level, and
 * a record of every kind at every level (`KIND_ROWS`).
 */
function members(): TestMember[] {
  const ring = ringMembers();
  const alpha = ring[0].data as any;
  const pub = alpha.services.find((s: { id: string }) => s.id === 'pub');
  for (const [level] of LEVELS.slice(1)) {
    pub.capacity.push({ id: capUnderPub(level), resource: 'STORAGE_GB', total: 10, used: 1, visibility: level, sharedWith: level === 'MEMBERS' ? ['beta'] : [] });
  }
  for (const service of alpha.services) {
    service.capacity.push({ id: `${service.id}-pubcap`, resource: 'BANDWIDTH_MBPS', total: 100, used: 1, visibility: 'PUBLIC', sharedWith: [] });
  }
  alpha.projects.push(
    { id: 'proj-net', name: 'Network project', area: 'SOLIDARITY', status: 'ACTIVE', summary: { en: 'Net' }, participants: [], needs: [], visibility: 'NETWORK', sharedWith: [] },
    { id: 'proj-mem', name: 'Members project', area: 'SOLIDARITY', status: 'ACTIVE', summary: { en: 'Mem' }, participants: [], needs: [], visibility: 'MEMBERS', sharedWith: ['beta'] },
  );
  for (const row of Object.values(KIND_ROWS)) for (const [level] of LEVELS) row.add(alpha, level);
  return ring;
}

/** Every record the network holds, as [global id, owner, level]. */
function allRecords(kind: 'services' | 'capacity' | 'projects'): [string, string, Visibility][] {
  const out: [string, string, Visibility][] = [];
  for (const m of members()) {
    const data = m.data as any;
    if (kind === 'services') for (const s of data.services) out.push([`${m.id}:${s.id}`, m.id, s.visibility]);
    if (kind === 'projects') for (const p of data.projects) out.push([`${m.id}:${p.id}`, m.id, p.visibility]);
    if (kind === 'capacity') {
      for (const s of data.services) for (const c of s.capacity) out.push([`${m.id}:${c.id}`, m.id, c.visibility]);
      for (const c of data.capacity) out.push([`${m.id}:${c.id}`, m.id, c.visibility]);
    }
  }
  return out;
}

function sharedWithOf(id: string): string[] {
  const [owner, local] = id.split(':');
  const data = members().find((m) => m.id === owner)!.data as any;
  const records = [...data.services, ...data.services.flatMap((s: any) => s.capacity), ...data.capacity, ...data.projects];
  return records.find((r: { id: string }) => r.id === local).sharedWith ?? [];
}

describe('visibility matrix', () => {
  let net: TestNetwork;
  let alphaUrl: string;
  const tokens: Partial<Record<CallerName, string>> = {};

  beforeAll(async () => {
    net = await TestNetwork.start(members());
    alphaUrl = net.members.get('alpha')!.url;
    for (const who of CALLERS) if (who !== 'anonymous') tokens[who] = await net.token(who);
  });
  afterAll(() => net?.stop());

  /**
   * Each distinct (path, caller, query, variables) is asked once and shared by the cases that
   * read it (a list answers for all four levels): the reads have no side effects, so the cases
   * stay independent of each other and of their order, and the matrix stays fast.
   */
  const answers = new Map<string, Promise<Record<string, any>>>();
  function once(key: string, ask: () => Promise<Record<string, any>>): Promise<Record<string, any>> {
    let answer = answers.get(key);
    if (!answer) answers.set(key, (answer = ask()));
    return answer;
  }

  /** Through the gateway with the caller's token (none for anonymous). No error is allowed. */
  function gw(who: CallerName, query: string, variables?: Record<string, unknown>): Promise<Record<string, any>> {
    return once(`gw|${who}|${query}|${JSON.stringify(variables)}`, async () => {
      const res = await net.query(query, { token: tokens[who], variables });
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      return res.body.data!;
    });
  }

  /** Straight to alpha's subgraph: a valid gateway assertion for the caller, none for anonymous. */
  function direct(who: CallerName, query: string, variables?: Record<string, unknown>): Promise<Record<string, any>> {
    return once(`direct|${who}|${query}|${JSON.stringify(variables)}`, async () => {
      const body = gqlBody(query, variables);
      const headers: Record<string, string> = who === 'anonymous' ? {} : { 'infrared-assertion': await net.assertion('alpha', callerOf(who), body) };
      const res = await postRaw(alphaUrl, body, headers);
      expect(res.status).toBe(200);
      expect(res.json.errors).toBeUndefined();
      return res.json.data;
    });
  }

  const hasId = (list: { id: string }[] | null, id: string) => {
    expect(Array.isArray(list)).toBe(true);
    return list!.some((r) => r.id === id);
  };
  /** A lookup: the record itself, or null. Anything else (a stub, a partial record) fails. */
  const present = (value: { id: string } | null, id: string) => {
    if (value === null) return false;
    expect(value.id).toBe(id);
    return true;
  };

  type Probe = (level: Visibility, who: CallerName) => Promise<boolean>;
  const svc = (level: Visibility) => `alpha:${slugOf(level)}`;
  const cap = (level: Visibility) => `alpha:${slugOf(level)}-cap`;
  const proj = (level: Visibility) => `alpha:proj-${slugOf(level)}`;
  const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Service { id } ... on Capacity { id } ... on Project { id } } }';

  const PATHS: Record<string, Probe> = {
    // through the gateway
    'gateway services list': async (level, who) => hasId((await gw(who, '{ services { id } }')).services, svc(level)),
    'gateway services text search': async (level, who) => hasId((await gw(who, 'query($t: String) { services(filter: { text: $t }) { id } }', { t: `Service ${slugOf(level)}` })).services, svc(level)),
    'gateway service(id) lookup': async (level, who) => present((await gw(who, 'query($id: ID!) { service(id: $id) { id } }', { id: svc(level) })).service, svc(level)),
    'gateway member(id) { services } (_entities)': async (level, who) => hasId((await gw(who, '{ member(id: "alpha") { services { id } } }')).member.services, svc(level)),
    'gateway members { services } (_entities)': async (level, who) => {
      const list = (await gw(who, '{ members { id services { id } } }')).members;
      return hasId(list.find((m: { id: string }) => m.id === 'alpha').services, svc(level));
    },
    'gateway nested Service.capacity': async (level, who) => hasId((await gw(who, '{ service(id: "alpha:pub") { id capacity { id } } }')).service.capacity, `alpha:${capUnderPub(level)}`),
    'gateway nested Capacity.service': async (level, who) => {
      const list = (await gw(who, '{ capacity(filter: { members: ["alpha"] }) { id service { id } } }')).capacity;
      const holder = list.find((c: { id: string }) => c.id === `alpha:${slugOf(level)}-pubcap`);
      expect(holder).toBeDefined(); // the PUBLIC capacity is always there; only its service may be hidden
      return present(holder.service, svc(level));
    },
    'gateway capacity list': async (level, who) => hasId((await gw(who, '{ capacity { id } }')).capacity, cap(level)),
    'gateway member(id) { capacity } (_entities)': async (level, who) => hasId((await gw(who, '{ member(id: "alpha") { capacity { id } } }')).member.capacity, cap(level)),
    'gateway project(id) lookup': async (level, who) => present((await gw(who, 'query($id: ID!) { project(id: $id) { id } }', { id: proj(level) })).project, proj(level)),
    'gateway projects list': async (level, who) => hasId((await gw(who, '{ projects { id } }')).projects, proj(level)),
    'gateway member(id) { projects } (_entities)': async (level, who) => hasId((await gw(who, '{ member(id: "alpha") { projects { id } } }')).member.projects, proj(level)),
    // straight to the member
    'direct services list': async (level, who) => hasId((await direct(who, '{ services { id } }')).services, svc(level)),
    'direct service(id) lookup': async (level, who) => present((await direct(who, 'query($id: ID!) { service(id: $id) { id } }', { id: svc(level) })).service, svc(level)),
    'direct _entities Service': async (level, who) => present((await direct(who, ENTITIES, { r: [{ __typename: 'Service', id: svc(level) }] }))._entities[0], svc(level)),
    'direct _entities Capacity': async (level, who) => present((await direct(who, ENTITIES, { r: [{ __typename: 'Capacity', id: cap(level) }] }))._entities[0], cap(level)),
    'direct _entities Project': async (level, who) => present((await direct(who, ENTITIES, { r: [{ __typename: 'Project', id: proj(level) }] }))._entities[0], proj(level)),
    'direct _entities Member { services }': async (level, who) =>
      hasId(
        (await direct(who, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { services { id } } } }', { r: [{ __typename: 'Member', id: 'alpha' }] }))._entities[0].services,
        svc(level),
      ),
    'direct nested Service.capacity': async (level, who) => hasId((await direct(who, '{ service(id: "alpha:pub") { capacity { id } } }')).service.capacity, `alpha:${capUnderPub(level)}`),
    'direct capacity list': async (level, who) => hasId((await direct(who, '{ capacity { id } }')).capacity, cap(level)),
    'direct project(id) lookup': async (level, who) => present((await direct(who, 'query($id: ID!) { project(id: $id) { id } }', { id: proj(level) })).project, proj(level)),
  };

  const matrix = Object.keys(PATHS).flatMap((path) => LEVELS.flatMap(([level]) => CALLERS.map((who) => [path, level, who, visible('alpha', level, who) ? 'visible' : 'hidden'] as const)));

  it.each(matrix)("%s: alpha's %s record, caller %s → %s", async (path, level, who, expected) => {
    expect(await PATHS[path](level, who)).toBe(expected === 'visible');
  });

  describe('whole lists: exactly the visible records, across every member', () => {
    const lists: ['services' | 'capacity' | 'projects', string][] = [
      ['services', '{ services { id } }'],
      ['capacity', '{ capacity { id } }'],
      ['projects', '{ projects { id } }'],
    ];
    const table = lists.flatMap(([kind, query]) => CALLERS.map((who) => [kind, who, query] as const));
    it.each(table)('gateway %s for %s', async (kind, who, query) => {
      const got = (await gw(who, query))[kind].map((r: { id: string }) => r.id).sort();
      const expected = allRecords(kind)
        .filter(([, owner, level]) => visible(owner, level, who))
        .map(([id]) => id)
        .sort();
      expect(got).toEqual(expected);
    });

    it.each(table)('gateway members { %s } for %s', async (kind, who) => {
      const data = await gw(who, `{ members { id ${kind} { id } } }`);
      const got = data.members.flatMap((m: Record<string, { id: string }[]>) => m[kind].map((r) => r.id)).sort();
      const expected = allRecords(kind)
        .filter(([, owner, level]) => visible(owner, level, who))
        .map(([id]) => id)
        .sort();
      expect(got).toEqual(expected);
    });
  });

  describe('a hidden record looks exactly like a missing one', () => {
    const hidden = (['anonymous', 'beta', 'gamma'] as CallerName[]).flatMap((who) =>
      LEVELS.filter(([level]) => !visible('alpha', level, who)).flatMap(([level]) => [['service', svc(level), who] as const, ['project', proj(level), who] as const]),
    );
    it.each(hidden)('%s(id: "%s") for %s: null, no error, same answer as a missing id', async (field, id, who) => {
      const q = `query($id: ID!) { ${field}(id: $id) { id name } }`;
      const res = await net.query(q, { token: tokens[who], variables: { id } });
      const missing = await net.query(q, { token: tokens[who], variables: { id: 'alpha:no-such-record' } });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ [field]: null });
      expect(res.body.errors).toBeUndefined();
      expect(JSON.stringify(res.body)).not.toContain(id);
      expect({ status: res.status, data: res.body.data, errors: res.body.errors }).toEqual({ status: missing.status, data: missing.body.data, errors: missing.body.errors });
    });
  });

  describe("sharedWith: the owner's business only", () => {
    const Q = `{
      services(filter: { members: ["alpha"] }) { id sharedWith capacity { id sharedWith } }
      capacity(filter: { members: ["alpha"] }) { id sharedWith }
      projects(filter: { members: ["alpha"] }) { id sharedWith }
    }`;
    const records = (data: Record<string, any>) =>
      [...data.services, ...data.services.flatMap((s: { capacity: unknown[] }) => s.capacity), ...data.capacity, ...data.projects].filter((r: { id: string }) => r.id.startsWith('alpha:')) as {
        id: string;
        sharedWith: string[] | null;
      }[];

    it.each(CALLERS.flatMap((who) => (['gateway', 'direct'] as const).map((via) => [who, via] as const)))('%s via %s', async (who, via) => {
      const data = via === 'gateway' ? await gw(who, Q) : await direct(who, Q);
      const list = records(data);
      expect(list.length).toBeGreaterThan(0);
      for (const r of list) {
        if (who === 'alpha') expect({ id: r.id, sharedWith: r.sharedWith }).toEqual({ id: r.id, sharedWith: sharedWithOf(r.id) });
        else expect({ id: r.id, sharedWith: r.sharedWith }).toEqual({ id: r.id, sharedWith: null });
      }
      if (who === 'alpha') expect(list.find((r) => r.id === 'alpha:mem')!.sharedWith).toEqual(['beta']);
      // beta may see the MEMBERS record, but not whom else it is shared with
      if (who === 'beta') expect(list.find((r) => r.id === 'alpha:mem')!.sharedWith).toBeNull();
    });
  });

  describe('every record kind the member serves, at every level, for every caller', () => {
    it('has a fixture row for every listed kind, and none for a kind that is not served', () => {
      expect(Object.keys(KIND_ROWS).sort()).toEqual(RECORD_KINDS.map((kind) => kind.name).sort());
    });

    const kinds = RECORD_KINDS.map((kind) => kind.name).filter((name) => KIND_ROWS[name]);
    /** The kind's field on `Member` (`Member.services`), when its descriptor contributes one. */
    const memberFieldOf = (name: string) => RECORD_KINDS.find((kind) => kind.name === name)?.memberField?.name;
    type Path = 'gateway list' | 'direct list' | 'gateway connection' | 'direct connection' | 'direct _entities' | 'gateway member(id) field';
    const via = (name: string): Path[] => [
      'gateway list',
      'direct list',
      'gateway connection',
      'direct connection',
      ...(KIND_ROWS[name].typename ? (['direct _entities'] as const) : []),
      ...(memberFieldOf(name) ? (['gateway member(id) field'] as const) : []),
    ];
    const cases = kinds.flatMap((name) =>
      via(name).flatMap((path) =>
        LEVELS.flatMap(([level]) => CALLERS.map((who) => [name, path, level, who, visibleTo('alpha', level, who, KIND_ROWS[name].membersSharedWith) ? 'visible' : 'hidden'] as const)),
      ),
    );

    it.each(cases)("%s via %s: alpha's %s record, caller %s → %s", async (name, path, level, who, expected) => {
      const row = KIND_ROWS[name];
      let found: boolean;
      if (path === 'direct _entities') {
        const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${row.typename} { ${row.selection} } } }`;
        found = present((await direct(who, q, { r: [{ __typename: row.typename, id: row.key(level) }] }))._entities[0], row.key(level));
      } else if (path === 'gateway member(id) field') {
        const field = memberFieldOf(name)!;
        const list = (await gw(who, `{ member(id: "alpha") { ${field} { ${row.selection} } } }`)).member[field];
        expect(Array.isArray(list)).toBe(true);
        found = list.some((r: Record<string, any>) => row.keyOf(r) === row.key(level));
      } else if (path.endsWith('connection')) {
        // the list's connection: the same records, and a totalCount that counts exactly those
        const field = `${row.field}Connection`;
        const q = `{ ${field}(first: 100) { edges { node { ${row.selection} } } totalCount } }`;
        const data = path === 'gateway connection' ? await gw(who, q) : await direct(who, q);
        const nodes = (data[field].edges as { node: Record<string, any> }[]).map((e) => e.node);
        expect(data[field].totalCount).toBe(nodes.length);
        found = nodes.some((r) => row.keyOf(r) === row.key(level));
      } else {
        const q = `{ ${row.field} { ${row.selection} } }`;
        const data = path === 'gateway list' ? await gw(who, q) : await direct(who, q);
        expect(Array.isArray(data[row.field])).toBe(true);
        found = data[row.field].some((r: Record<string, any>) => row.keyOf(r) === row.key(level));
      }
      expect(found).toBe(expected === 'visible');
    });

    const masks = kinds.flatMap((name) => CALLERS.flatMap((who) => (['gateway', 'direct'] as const).map((path) => [name, path, who] as const)));
    it.each(masks)("%s via %s: sharedWith of alpha's records for %s is the owner's business only", async (name, path, who) => {
      const row = KIND_ROWS[name];
      const q = `{ ${row.field} { ${row.selection} sharedWith } }`;
      const data = path === 'gateway' ? await gw(who, q) : await direct(who, q);
      const ours = new Set(LEVELS.map(([level]) => row.key(level)));
      const mine = (data[row.field] as Record<string, any>[]).filter((r) => ours.has(row.keyOf(r))).map((r) => ({ key: row.keyOf(r), sharedWith: r.sharedWith }));
      const expected = LEVELS.filter(([level]) => visibleTo('alpha', level, who, row.membersSharedWith)).map(([level]) => ({
        key: row.key(level),
        sharedWith: who === 'alpha' ? (row.storedSharedWith ?? sharedFor)(level) : null,
      }));
      expect(mine.sort((a, b) => a.key.localeCompare(b.key))).toEqual(expected.sort((a, b) => a.key.localeCompare(b.key)));
    });
  });

  describe('numbersVisibility: the `loose` capacity (PUBLIC record, NETWORK numbers)', () => {
    const Q = '{ capacity(filter: { members: ["alpha"] }) { id total used available visibility numbersVisibility } }';
    const paths: [string, (who: CallerName) => Promise<any[]>][] = [
      ['gateway capacity', async (who) => (await gw(who, Q)).capacity],
      ['gateway member(id) { capacity }', async (who) => (await gw(who, '{ member(id: "alpha") { capacity { id total used available visibility numbersVisibility } } }')).member.capacity],
      ['direct capacity', async (who) => (await direct(who, Q)).capacity],
      [
        'direct _entities Capacity',
        async (who) =>
          (
            await direct(who, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Capacity { id total used available visibility numbersVisibility } } }', {
              r: [{ __typename: 'Capacity', id: 'alpha:loose' }],
            })
          )._entities,
      ],
    ];
    it.each(paths.flatMap(([name]) => CALLERS.map((who) => [name, who, who === 'anonymous' ? 'null numbers' : 'numbers'] as const)))('%s for %s → %s, no error', async (name, who) => {
      const list = await paths.find(([n]) => n === name)![1](who);
      const loose = list.find((c: { id: string }) => c.id === 'alpha:loose');
      const numbers = who === 'anonymous' ? { total: null, used: null, available: null } : { total: 50, used: 10, available: 40 };
      expect(loose).toEqual({ id: 'alpha:loose', visibility: 'PUBLIC', numbersVisibility: 'NETWORK', ...numbers });
    });
  });
});
