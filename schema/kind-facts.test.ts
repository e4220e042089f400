import { buildSubgraphSchema } from '@apollo/subgraph';
import gql from 'graphql-tag';
import { loadMemberContract } from './contract';
import { kindFacts, MAX_QUANTITY } from './kind-facts';

/**
 * The kind facts are derived from the SDL; these are the lists the gateway kept by hand before
 * (MEMBER_PUSHDOWN, the owner-prefixed types, Member's whole lists, the capacity ranges, the
 * foreign-record mutation, the breaker probe). A new kind changes them through the SDL only.
 */
describe('kind facts derived from schema/member.graphql', () => {
  const facts = loadMemberContract().kinds;

  it('equal the lists the gateway kept by hand', () => {
    expect([...facts.memberPushdown].sort()).toEqual(['capacity', 'capacityConnection', 'incidents', 'incidentsConnection', 'services', 'servicesConnection', 'trainings', 'trainingsConnection']);
    expect(facts.memberType).toBe('Member');
    // Change: a change-feed entry's id is its record's global id, so the answer check holds it to the sender's prefix too
    expect([...facts.prefixedIdTypes].sort()).toEqual(['Capacity', 'Change', 'Incident', 'Participation', 'Project', 'Service', 'SupportNeed', 'SupportOffer', 'Training']);
    expect([...facts.memberLists].sort()).toEqual(['Member.capacity', 'Member.services', 'Member.trainings']);
    expect([...facts.quantityRanges]).toEqual(
      expect.arrayContaining([
        ['Capacity.available', [0, MAX_QUANTITY]],
        ['Capacity.total', [0, MAX_QUANTITY]],
        ['Capacity.used', [0, MAX_QUANTITY]],
        ['Training.seats', [0, MAX_QUANTITY]],
        // every owned record's version (an Int): never negative
        ...['Capacity', 'Incident', 'Participation', 'Project', 'Service', 'SupportNeed', 'SupportOffer', 'Training'].map((type) => [`${type}.version`, [0, MAX_QUANTITY]]),
      ]),
    );
    expect(facts.quantityRanges.size).toBe(4 + 8);
    expect([...facts.foreignRecordMutations]).toEqual(['Mutation.joinProject']);
    expect(facts.probeQuery).toBe('{ services(limit: 1) { id } }');
    expect(Object.fromEntries(facts.rootFields)).toEqual({
      capacity: 'list',
      capacityConnection: 'connection',
      // the member's change feed: only the gateway asks it (networkChanges); it is not in the supergraph
      changes: 'list',
      incidents: 'list',
      incidentsConnection: 'connection',
      participations: 'list',
      participationsConnection: 'connection',
      project: 'lookup',
      projects: 'list',
      projectsConnection: 'connection',
      service: 'lookup',
      services: 'list',
      servicesConnection: 'connection',
      supportNeeds: 'list',
      supportNeedsConnection: 'connection',
      supportOffers: 'list',
      supportOffersConnection: 'connection',
      training: 'lookup',
      trainings: 'list',
      trainingsConnection: 'connection',
    });
  });

  it("know every list's connection by its shape, and push filter.members down by the node type", () => {
    expect(facts.connections.get('servicesConnection')).toEqual({ type: 'ServiceConnection', edgeType: 'ServiceEdge', nodeType: 'Service' });
    expect(facts.connections.get('incidentsConnection')).toEqual({ type: 'IncidentConnection', edgeType: 'IncidentEdge', nodeType: 'Incident' });
    // every record list has one; the change feed (`changes`) pages by its own sealed cursor instead
    for (const [field, kind] of facts.rootFields) if (kind === 'list' && field !== 'changes') expect(facts.connections.has(`${field}Connection`)).toBe(true);
    expect(facts.connections.has('changesConnection')).toBe(false);
    // a project's records name other members (invited): its connection is asked of every member, like its list
    expect(facts.memberPushdown.has('projectsConnection')).toBe(false);
  });

  it('follow the SDL: a new kind is pushed down, prefixed and ranged without a gateway edit', () => {
    const sdl = `${loadMemberContract().sdl}
      type Runbook @key(fields: "id") { id: ID! member: Member! pages: Int hoursSaved: Float tags: [Int!] }
      input RunbookFilter { members: [ID!] }
      extend type Query { runbooks(filter: RunbookFilter): [Runbook!]! runbook(id: ID!): Runbook }
      extend type Member { runbooks: [Runbook!] }`;
    const next = kindFacts(buildSubgraphSchema([{ typeDefs: gql(sdl) }]));
    expect(next.memberPushdown.has('runbooks')).toBe(true);
    expect(next.rootFields.get('runbook')).toBe('lookup');
    expect(next.prefixedIdTypes.has('Runbook')).toBe(true);
    expect(next.memberLists.has('Member.runbooks')).toBe(true);
    expect(next.quantityRanges.get('Runbook.pages')).toEqual([0, MAX_QUANTITY]);
    expect(next.quantityRanges.get('Runbook.hoursSaved')).toEqual([0, MAX_QUANTITY]);
    expect(next.quantityRanges.has('Runbook.tags')).toBe(false);
  });

  it('does not push filter.members down for records that name other members (a project involving a member lives at its lead)', () => {
    expect(facts.rootFields.get('projects')).toBe('list');
    expect(facts.memberPushdown.has('projects')).toBe(false);
  });
});
