/**
 * graphql-cop's audit (test/security/graphql-cop.ts) against the gateway and against a member
 * subgraph, both in their default (production) mode: nothing of severity HIGH or MEDIUM.
 */
import { ringMembers } from '../support/fixtures';
import { TestNetwork } from '../support/network';
import { graphqlCop, type CopFinding } from './graphql-cop';

let net: TestNetwork;
beforeAll(async () => {
  net = await TestNetwork.start(ringMembers(['alpha', 'beta']));
});
afterAll(() => net?.stop());

const serious = (findings: CopFinding[]) => findings.filter((f) => f.found && (f.severity === 'HIGH' || f.severity === 'MEDIUM')).map((f) => `${f.severity} ${f.title}`);

describe('graphql-cop finds nothing HIGH or MEDIUM', () => {
  it('at the gateway', async () => {
    const findings = await graphqlCop(net.gateway.url);
    if (process.env.COP_FIGURES)
      console.log(
        'gateway',
        findings.filter((f) => f.found),
      );
    expect(serious(findings)).toEqual([]);
  });

  it('at a member subgraph, reached directly', async () => {
    const findings = await graphqlCop(net.members.get('alpha')!.url);
    if (process.env.COP_FIGURES)
      console.log(
        'member',
        findings.filter((f) => f.found),
      );
    expect(serious(findings)).toEqual([]);
  });
});
