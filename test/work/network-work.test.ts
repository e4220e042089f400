import { compareWithAttested, verifyAttestation } from '../../common/provenance/attestation';
import { createKeyPair, publicPart } from '../../common/auth/keys';
import { exportMisp } from '../../subgraphs/member/src/import/export-member-data';
import { TestNetwork, type TestMember } from '../support/network';

const service = (id: string, visibility: string, capacity: { total: number; used: number; visibility?: string }[] = []) => ({
  id,
  name: `Service ${id}`,
  kind: 'EMAIL',
  description: { en: `About ${id}` },
  languages: ['en'],
  regions: ['R'],
  status: 'OPERATIONAL',
  acceptingUsers: true,
  visibility,
  sharedWith: [],
  capacity: capacity.map((c, i) => ({ id: `${id}-c${i}`, resource: 'STORAGE_GB', total: c.total, used: c.used, visibility: c.visibility ?? visibility })),
});

const members: TestMember[] = [
  {
    id: 'ana',
    languages: ['sq', 'en'],
    data: {
      services: [service('mail', 'PUBLIC', [{ total: 100, used: 30 }]), service('vpn', 'NETWORK', [{ total: 50, used: 10 }])],
      projects: [
        {
          id: 'backup',
          name: 'Shared backups',
          area: 'SHARED_INFRASTRUCTURE',
          status: 'ACTIVE',
          summary: { en: 'Backups' },
          participants: ['bea', 'cam'],
          needs: [],
          visibility: 'PUBLIC',
          sharedWith: [],
        },
      ],
      incidents: [
        {
          id: 'ddos-1',
          kind: 'DDOS',
          severity: 'HIGH',
          observedAt: '2026-10-01T10:00:00Z',
          summary: { en: 'Flood', sq: 'Vërshim' },
          indicators: [
            { type: 'IP', value: '203.0.113.7' },
            { type: 'DOMAIN', value: 'Bad.EXAMPLE.' },
          ],
        },
        { id: 'secret', kind: 'INTRUSION', severity: 'CRITICAL', observedAt: '2026-10-02T10:00:00Z', indicators: [{ type: 'IP', value: '203.0.113.7' }], visibility: 'OWNER' },
      ],
      supportNeeds: [{ id: 'translate', kind: 'TRANSLATION', title: 'Albanian translation', languages: ['sq', 'en'], visibility: 'PUBLIC' }],
    },
  },
  {
    id: 'bea',
    languages: ['es'],
    data: {
      services: [service('chat', 'PUBLIC', [{ total: 200, used: 150 }])],
      incidents: [
        {
          id: 'scan',
          kind: 'ABUSE',
          severity: 'LOW',
          observedAt: '2026-09-01T10:00:00Z',
          indicators: [
            { type: 'CIDR', value: '203.0.113.99/24' },
            { type: 'IP', value: '2001:DB8::0:1' },
          ],
        },
      ],
      supportOffers: [
        { id: 'translations', kind: 'TRANSLATION', title: 'Translations', languages: ['es', 'en'], visibility: 'PUBLIC' },
        { id: 'audit', kind: 'SECURITY_AUDIT', title: 'Audits', languages: ['es'], visibility: 'PUBLIC' },
      ],
    },
  },
  { id: 'cam', languages: ['en'], data: { services: [service('web', 'PUBLIC', [{ total: 10, used: 5 }])] } },
];

describe("the whole of the network's work", () => {
  let net: TestNetwork;
  beforeAll(async () => {
    net = await TestNetwork.start(members);
  });
  afterAll(() => net.stop());

  describe('attacks: "has anyone seen this?"', () => {
    it.each([
      ['203.0.113.7', ['ana:ddos-1', 'bea:scan']],
      ['203.0.113.200', ['bea:scan']],
      ['2001:db8::1', ['bea:scan']],
      ['bad.example', ['ana:ddos-1']],
      ['BAD.example.', ['ana:ddos-1']],
      ['198.51.100.1', []],
    ])('%s matches %j for a member caller (exact IPs and domains, IPs inside CIDRs)', async (term, expected) => {
      const token = await net.token('cam');
      const { body } = await net.query('query($f: IncidentFilter) { incidents(filter: $f) { id } }', { token, variables: { f: { indicator: term } } });
      expect(body.errors).toBeUndefined();
      expect(body.data!.incidents.map((i: { id: string }) => i.id).sort()).toEqual(expected);
    });

    it('keeps incidents NETWORK by default: anonymous callers see none, the owner also sees its OWNER ones', async () => {
      const anon = await net.query('{ incidents { id } }');
      expect(anon.body.data!.incidents).toEqual([]);
      const owner = await net.query('{ incidents(filter: { indicator: "203.0.113.7" }) { id visibility } }', { token: await net.token('ana') });
      expect(owner.body.data!.incidents.map((i: { id: string }) => i.id).sort()).toEqual(['ana:ddos-1', 'ana:secret', 'bea:scan']);
    });

    it('normalises indicators when reporting, and rejects invalid ones with a field error', async () => {
      const token = await net.token('cam', { scopes: ['read', 'write'] });
      const ok = await net.query('mutation($i: IncidentInput!) { reportIncident(input: $i) { id visibility indicators { type value } } }', {
        token,
        variables: {
          i: {
            id: 'phish',
            kind: 'PHISHING',
            severity: 'MEDIUM',
            observedAt: '2026-11-01T00:00:00Z',
            indicators: [
              { type: 'DOMAIN', value: 'Bücher.Example.' },
              { type: 'CIDR', value: '10.1.2.3/8' },
              { type: 'HASH', value: 'D41D8CD98F00B204E9800998ECF8427E' },
            ],
          },
        },
      });
      expect(ok.body.errors).toBeUndefined();
      expect(ok.body.data!.reportIncident).toEqual({
        id: 'cam:phish',
        visibility: 'NETWORK',
        indicators: [
          { type: 'DOMAIN', value: 'xn--bcher-kva.example' },
          { type: 'CIDR', value: '10.0.0.0/8' },
          { type: 'HASH', value: 'd41d8cd98f00b204e9800998ecf8427e' },
        ],
      });
      const found = await net.query('{ incidents(filter: { indicator: "10.200.0.1" }) { id } }', { token });
      expect(found.body.data!.incidents.map((i: { id: string }) => i.id)).toEqual(['cam:phish']);
      const bad = await net.query('mutation($i: IncidentInput!) { reportIncident(input: $i) { id } }', {
        token,
        variables: { i: { id: 'bad', kind: 'SPAM', severity: 'LOW', observedAt: '2026-11-01T00:00:00Z', indicators: [{ type: 'IP', value: '300.1.2.3' }] } },
      });
      expect(bad.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
      expect(bad.body.errors![0].extensions!.fields).toEqual(['indicators[0].value: "300.1.2.3" is not an IPv4 or IPv6 address']);
    });

    it('exports incidents as MISP events with a type per indicator and a TLP tag', async () => {
      const misp = await exportMisp(net.orms.get('ana')!, 'ana');
      expect(misp.response).toHaveLength(1);
      const event = misp.response[0].Event as { Tag: { name: string }[]; Attribute: { type: string; value: string }[] };
      expect(event.Tag.map((t) => t.name)).toContain('tlp:green');
      expect(event.Attribute.map((a) => [a.type, a.value])).toEqual([
        ['ip-dst', '203.0.113.7'],
        ['domain', 'bad.example'],
      ]);
      const all = await exportMisp(net.orms.get('ana')!, 'ana', { maxVisibility: 'OWNER' });
      expect(all.response).toHaveLength(2);
    });
  });

  it('pairs open needs with offers of the same kind that share a language', async () => {
    const { body } = await net.query('{ supportMatches { kind languages need { id title member { id } } offer { id title member { id } } } }');
    expect(body.errors).toBeUndefined();
    expect(body.data!.supportMatches).toEqual([
      {
        kind: 'TRANSLATION',
        languages: ['en'],
        need: { id: 'ana:translate', title: 'Albanian translation', member: { id: 'ana' } },
        offer: { id: 'bea:translations', title: 'Translations', member: { id: 'bea' } },
      },
    ]);
  });

  it('joint projects need consent: invited, then confirmed, then withdrawn', async () => {
    const participants = async () => (await net.query('{ project(id: "ana:backup") { participants { id } } }')).body.data!.project.participants.map((m: { id: string }) => m.id);
    const projectsOf = async (id: string) => (await net.query(`{ member(id: "${id}") { projects { id } } }`)).body.data!.member.projects.map((p: { id: string }) => p.id);
    expect(await participants()).toEqual([]);
    expect(await projectsOf('bea')).toEqual([]);
    expect(await projectsOf('ana')).toEqual(['ana:backup']);

    const bea = await net.token('bea', { scopes: ['read', 'write'] });
    const joined = await net.query('mutation { joinProject(projectId: "ana:backup", role: "storage") { id name lead { id } } }', { token: bea });
    expect(joined.body.errors).toBeUndefined();
    expect(joined.body.data!.joinProject).toEqual({ id: 'ana:backup', name: 'Shared backups', lead: { id: 'ana' } });
    expect(await participants()).toEqual(['bea']);
    expect(await projectsOf('bea')).toEqual(['ana:backup']);
    const named = await net.query('{ project(id: "ana:backup") { participants { id name region } } }', { token: bea });
    expect(named.body.errors).toBeUndefined();
    expect(named.body.data!.project.participants).toEqual([{ id: 'bea', name: 'Member bea', region: 'Test region' }]);

    // nobody can make another member appear: ana (the lead) cannot confirm for cam, and cam is only invited
    const ana = await net.token('ana', { scopes: ['read', 'write'] });
    const forged = await post(net, 'mutation { joinProject(projectId: "ana:backup") { id } }', ana);
    expect(forged.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(await participants()).toEqual(['bea']);

    // a member cannot join a project it was not invited to: it confirms, but does not appear
    const uninvited = await net.query('mutation { joinProject(projectId: "ana:backup") { id } }', { token: await net.token('cam', { scopes: ['read', 'write'] }) });
    expect(uninvited.body.errors).toBeUndefined();
    expect(await participants()).toEqual(['bea', 'cam']);
    await net.query('mutation($p: ProjectInput!) { upsertProject(input: $p) { id } }', {
      token: ana,
      variables: { p: { id: 'backup', name: 'Shared backups', area: 'SHARED_INFRASTRUCTURE', status: 'ACTIVE', participants: ['bea'], visibility: 'PUBLIC' } },
    });
    expect(await participants()).toEqual(['bea']);

    const left = await net.query('mutation { leaveProject(projectId: "ana:backup") }', { token: bea });
    expect(left.body.data!.leaveProject).toBe(true);
    expect(await participants()).toEqual([]);
  });

  it('sums capacity over what the caller may see, and says which members are missing', async () => {
    const q = '{ network { totals(resource: STORAGE_GB) { total used available members missingMembers complete } summary { services byKind { key count } missingMembers } } }';
    const anon = await net.query(q);
    expect(anon.body.data!.network.totals).toEqual({ total: 310, used: 185, available: 125, members: 3, missingMembers: [], complete: true });
    const member = await net.query(q, { token: await net.token('cam') });
    expect(member.body.data!.network.totals).toMatchObject({ total: 360, used: 195, members: 3 });
    expect(member.body.data!.network.summary.byKind).toEqual([{ key: 'EMAIL', count: 4 }]);

    const bea = net.members.get('bea')!;
    const port = bea.port;
    await bea.stop();
    try {
      const down = await net.query(q);
      expect(down.body.data!.network.totals).toEqual({ total: 110, used: 35, available: 75, members: 2, missingMembers: ['bea'], complete: false });
      expect(down.body.data!.network.summary.missingMembers).toEqual(['bea']);
    } finally {
      await net.startMember({ id: 'bea' }, port);
    }
  });

  describe('provenance', () => {
    const keysOf = (id: string) => (id === 'ana' ? [publicPart(net.keys.get('ana')!) as never] : undefined);

    it('attests public fields; a tampered field fails; a record round-trips', async () => {
      const { body } = await net.query('{ service(id: "ana:mail") { id name kind status member { id } attestation } }');
      const record = body.data!.service;
      const verified = await verifyAttestation(record.attestation, keysOf);
      expect(verified.member).toBe('ana');
      expect(compareWithAttested(record, verified.fields)).toEqual([]);
      expect(compareWithAttested({ ...record, name: 'Forged name' }, verified.fields)).toEqual(['name']);
      const [h, p, s] = record.attestation.split('.');
      const forgedPayload = Buffer.from(JSON.stringify({ ...verified.fields, name: 'Forged' })).toString('base64url');
      await expect(verifyAttestation(`${h}.${forgedPayload}.${s}`, keysOf)).rejects.toThrow('signature does not verify');
      expect(p.length).toBeGreaterThan(0);
    });

    it('keeps old attestations verifiable while the old key is listed, and not after', async () => {
      const { body } = await net.query('{ service(id: "ana:mail") { attestation } }');
      const old = publicPart(net.keys.get('ana')!);
      const fresh = publicPart((await createKeyPair()).privateJwk);
      await expect(verifyAttestation(body.data!.service.attestation, () => [fresh as never, old as never])).resolves.toMatchObject({ member: 'ana' });
      await expect(verifyAttestation(body.data!.service.attestation, () => [fresh as never])).rejects.toThrow('no longer');
    });
  });
});

async function post(net: TestNetwork, query: string, token: string) {
  return (await net.query(query, { token })).body;
}
