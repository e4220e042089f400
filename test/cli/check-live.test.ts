import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SCHEMA_VERSION } from '../../schema/version';
import { ringMembers } from '../support/fixtures';
import { TestNetwork } from '../support/network';

const run = promisify(execFile);
const CLI = join(__dirname, '../../dist/scripts/cli/infrared.js');

describe('infrared check <live member URL>', () => {
  let net: TestNetwork;
  beforeAll(async () => {
    net = await TestNetwork.start(ringMembers(['alpha', 'beta']));
  });
  afterAll(() => net.stop());

  it('reports a running member as healthy and compatible', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'check', net.members.get('alpha')!.url], { timeout: 60_000 });
    expect(stdout).toContain(`health: ok (member "alpha", schema ${SCHEMA_VERSION}`);
    expect(stdout).toContain('compatible with the network contract');
  });

  it('recognises a gateway: names its network and members, never member "undefined"', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'check', net.gateway.url], { timeout: 60_000 });
    expect(stdout).not.toContain('undefined');
    expect(stdout).toContain(`health: ok (gateway of network "testnet" (Test network), schema ${SCHEMA_VERSION}`);
    expect(stdout).toContain(`${net.gateway.url}: gateway with 2 members, 2 reachable`);
  });

  it('runs the example query file that `query --help` names, against the gateway', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'query', 'demo/queries/capacity.graphql'], {
      timeout: 60_000,
      cwd: join(__dirname, '../..'),
      env: { ...process.env, INFRARED_GATEWAY_URL: net.gateway.url, INFRARED_TOKEN: '', INIT_CWD: '', npm_lifecycle_event: '' },
    });
    const body = JSON.parse(stdout);
    expect(body.errors).toBeUndefined();
    expect(Array.isArray(body.data.services)).toBe(true);
    expect(body.data.network.totals).toMatchObject({ complete: true, missingMembers: [] });
  });

  it('fails with a one-line cause when nothing answers there', async () => {
    await expect(run(process.execPath, [CLI, 'check', 'http://127.0.0.1:9/graphql'], { timeout: 60_000 })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^error: http:\/\/127\.0\.0\.1:9\/health: not reachable/),
    });
  });
});
