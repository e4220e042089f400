import { composeServices } from '@apollo/composition';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { loadMemberContract } from '../../../schema/contract';
import { operationCost } from '../limits/operation-cost';
import { networkCostModel } from './fanout-cost';
import { NETWORK_SDL } from './network-subgraph';

const contract = loadMemberContract();
const composed = composeServices([
  { name: 'network', url: 'in-process://network', typeDefs: parse(NETWORK_SDL) },
  { name: 'members', url: 'fanout://members', typeDefs: parse(contract.sdl) },
]);
if (!composed.schema) throw new Error('the network schema does not compose');
const api = composed.schema.toAPISchema().toGraphQLJSSchema();
const model = networkCostModel(contract, 1000);
const MEMBERS = ['a', 'b', 'c', 'd'];

function fanoutOf(text: string, variables: Record<string, unknown> = {}): number {
  const document = parse(text);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return operationCost(api, document, operation, variables, MEMBERS, model).fanout;
}

describe('the fan-out cost rule counts the network module’s own fan-outs like member root fields', () => {
  it('a composed mutation counts every member call it makes (read at the lead, write at the caller’s member)', () => {
    expect(fanoutOf('mutation { joinProject(projectId: "a:p1") { id } }')).toBe(2);
  });

  it('any other mutation is one call to the caller’s own member', () => {
    expect(fanoutOf('mutation { leaveProject(projectId: "a:p1") }')).toBe(1);
    expect(fanoutOf('mutation { removeService(id: "a:s1") }')).toBe(1);
    expect(fanoutOf('mutation { a: removeService(id: "a:s1") b: removeService(id: "a:s2") }')).toBe(2);
  });

  it('network aggregates ask every member: totals, summary, support matches, a member’s projects (two fan-outs), participants', () => {
    expect(fanoutOf('{ network { totals { total } } }')).toBe(MEMBERS.length);
    expect(fanoutOf('{ supportMatches { need { id } } }')).toBe(MEMBERS.length);
    expect(fanoutOf('{ members { projects { id } } }')).toBe(2 * MEMBERS.length);
    expect(fanoutOf('{ members { projects { participants { member { id } } } } }')).toBe(3 * MEMBERS.length);
  });

  it('member root lists count the members they reach; filter.members narrows only where the kind facts say so', () => {
    expect(fanoutOf('{ services { id } }')).toBe(MEMBERS.length);
    expect(fanoutOf('{ services(filter: { members: ["a"] }) { id } }')).toBe(1);
    expect(fanoutOf('{ projects(filter: { members: ["a"] }) { id } }')).toBe(MEMBERS.length);
    expect(fanoutOf('{ service(id: "a:s1") { id } }')).toBe(1);
  });
});

describe('connections in the cost rule', () => {
  const costOf = (text: string) => {
    const document = parse(text);
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    return operationCost(api, document, operation, {}, MEMBERS, model);
  };

  it('counts every member a page may ask (filter.members narrows it) and `first` edges, not the whole list', () => {
    expect(costOf('{ servicesConnection(first: 10) { edges { node { id } } } }').fanout).toBe(MEMBERS.length);
    expect(costOf('{ servicesConnection(first: 10, filter: { members: ["a"] }) { edges { node { id } } } }').fanout).toBe(1);
    const small = costOf('{ servicesConnection(first: 10) { edges { node { id name } } } }').cost;
    const large = costOf('{ servicesConnection(first: 1000) { edges { node { id name } } } }').cost;
    const list = costOf('{ services { id name } }').cost;
    expect(small).toBeLessThan(60);
    expect(large).toBeGreaterThan(50 * small);
    expect(large).toBeLessThan(list); // a page of 1,000 over the network, a list of 1,000 from each member
    expect(costOf('{ servicesConnection { edges { node { id } } } }').cost).toBe(costOf('{ servicesConnection(first: 50) { edges { node { id } } } }').cost);
  });
});
