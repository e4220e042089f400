import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
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
    expect(stdout).toContain('health: ok (member "alpha", schema 1.0.0');
    expect(stdout).toContain('compatible with the network contract');
  });

  it('fails with a one-line cause when nothing answers there', async () => {
    await expect(run(process.execPath, [CLI, 'check', 'http://127.0.0.1:9/graphql'], { timeout: 60_000 })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^error: http:\/\/127\.0\.0\.1:9\/health: not reachable/),
    });
  });
});
