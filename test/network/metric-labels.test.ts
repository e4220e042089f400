/**
 * Metric labels come from a bounded set, at the gateway and at members: an operation name becomes
 * a label only once a request under it succeeded, up to 100 names, then `other`; refused or
 * failed requests never add one.
 */
import { MAX_OPERATION_LABELS } from '../../common/observability/operation-labels';
import { ringMembers } from '../support/fixtures';
import { post, TestNetwork } from '../support/network';

let net: TestNetwork;
beforeAll(async () => {
  net = await TestNetwork.start(ringMembers(['alpha', 'beta']), { maxRequestBodyBytes: 2000 });
});
afterAll(() => net?.stop());

/** A request whose body names its operation (`query <name> <selection>`, or `document` as given). */
const named = (url: string, operationName: string, selection: string, document?: string, token?: string) =>
  post(url, '', { token, rawBody: JSON.stringify({ query: document ?? `query ${operationName} ${selection}`, operationName }) });
const metricsOf = async (graphqlUrl: string) => (await fetch(graphqlUrl.replace(/\/graphql$/, '/metrics'))).text();
const operationLabels = (text: string, metric: string) => new Set([...text.matchAll(new RegExp(`^${metric}\\{operation="([^"]*)"`, 'gm'))].map((m) => m[1]));

describe.each([
  ['gateway', () => net.gateway.url, 'infrared_gateway_requests_total'],
  ['member', () => net.members.get('alpha')!.url, 'infrared_member_requests_total'],
])('%s', (name, url, metric) => {
  it('refused and failed requests add no label', async () => {
    for (let i = 0; i < 20; i++) await named(url(), `Bad${name}${i}`, '{ nope }'); // validation error
    for (let i = 0; i < 5; i++) await named(url(), `Unknown${name}${i}`, '{ __typename }', `query Other { __typename }`); // unknown operationName
    if (name === 'gateway') {
      for (let i = 0; i < 5; i++) await named(url(), `Big${i}`, `{ __typename } #${'x'.repeat(3000)}`); // 413
      for (let i = 0; i < 5; i++) await named(url(), `Tok${i}`, '{ __typename }', undefined, 'not.a.token'); // 401
    }
    const labels = operationLabels(await metricsOf(url()), metric);
    expect([...labels].filter((l) => /^(Bad|Big|Tok|Unknown)/.test(l))).toEqual([]);
  });

  it(`succeeding names become labels up to ${MAX_OPERATION_LABELS}, then "other"; /metrics stops growing`, async () => {
    const ask = (i: number) => named(url(), `Op${i}`, '{ __typename }');
    for (let i = 0; i < MAX_OPERATION_LABELS + 20; i++) expect((await ask(i)).status).toBe(200);
    const first = operationLabels(await metricsOf(url()), metric);
    expect(first.has('other')).toBe(true);
    expect([...first].filter((l) => l.startsWith('Op')).length).toBeLessThanOrEqual(MAX_OPERATION_LABELS);
    for (let i = MAX_OPERATION_LABELS + 20; i < MAX_OPERATION_LABELS + 60; i++) await ask(i);
    const second = operationLabels(await metricsOf(url()), metric);
    expect(second).toEqual(first);
    // a name that already has a label keeps it
    await ask(0);
    expect(operationLabels(await metricsOf(url()), metric).has('Op0')).toBe(true);
  }, 60_000);
});
