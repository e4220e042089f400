import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { stringify } from 'yaml';
import { createKeyPair, publicPart } from '../../common/auth/keys';
import { ENV as GATEWAY_ENV, resolveGatewayConfig } from '../../gateway/src/config';
import { ENV as MEMBER_ENV, resolveMemberConfig } from '../../subgraphs/member/src/config';
import { lines, ROOT, runCli } from '../support/cli';

jest.setTimeout(180_000);
const dir = mkdtempSync(join(tmpdir(), 'infrared-cli-paths-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe("paths are the user's", () => {
  it('`npm run infrared` resolves --out and file arguments against the directory it was run from', async () => {
    const cwd = join(dir, 'elsewhere');
    mkdirSync(cwd);
    const inRepo = join(ROOT, 'keys', 'path-test.jwk.json');
    try {
      const made = await runCli(['--prefix', ROOT, 'run', '--silent', 'infrared', '--', 'keygen', '--member', 'path-test', '--out', 'keys'], { cwd, command: [npm] });
      expect(made.code).toBe(0);
      expect(existsSync(join(cwd, 'keys', 'path-test.jwk.json'))).toBe(true);
      expect(existsSync(inRepo)).toBe(false);

      copyFileSync(join(ROOT, 'demo/members/kafshata.yaml'), join(cwd, 'mine.yaml'));
      const checked = await runCli(['--prefix', ROOT, 'run', '--silent', 'infrared', '--', 'check', 'mine.yaml'], { cwd, command: [npm] });
      expect(checked.stderr).toBe('');
      expect(lines(checked.stdout)).toEqual(['mine.yaml: valid data file for member "kafshata": 5 services, 3 projects']);
    } finally {
      rmSync(inRepo, { force: true });
      rmSync(join(ROOT, 'keys', 'path-test.jwks.json'), { force: true });
    }
  });

  it.each([['keys/kafshata.jwk.json'], ['deploy/keys/gw.jwk.json'], ['some/where/else/nodo-sur.jwk.json'], ['keys/kafshata.jwks.json'], ['.infrared/demo/network.yaml']])(
    'git ignores %s (private keys and local state)',
    (path) => {
      expect(() => execFileSync('git', ['check-ignore', '-q', '--no-index', path], { cwd: ROOT })).not.toThrow();
    },
  );

  it('git still tracks a public JWKS outside keys/', () => {
    expect(() => execFileSync('git', ['check-ignore', '-q', '--no-index', 'deploy/gateway.jwks.json'], { cwd: ROOT })).toThrow();
  });
});

describe('`npm run infrared` before a build', () => {
  /** A copy of the launcher in a project of its own, without dist/. */
  function project(name: string, withTypeScript: boolean): string {
    const root = join(dir, name);
    mkdirSync(join(root, 'scripts/cli'), { recursive: true });
    copyFileSync(join(ROOT, 'scripts/cli/launch.js'), join(root, 'scripts/cli/launch.js'));
    if (withTypeScript) {
      symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
      writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'ES2022', outDir: 'dist', rootDir: '.', types: ['node'] }, include: ['scripts'] }));
      writeFileSync(join(root, 'scripts/cli/infrared.ts'), "process.stdout.write(`ran with ${process.argv.slice(2).join(' ')}\\n`);\n");
    }
    return root;
  }

  it('builds the CLI once, then runs it', async () => {
    const root = project('unbuilt', true);
    const first = await runCli(['--version'], { command: [process.execPath, join(root, 'scripts/cli/launch.js')], cwd: root });
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('the CLI is not built yet (dist/ is missing): building it once');
    expect(first.stdout).toBe('ran with --version\n');
    const second = await runCli(['check', 'x'], { command: [process.execPath, join(root, 'scripts/cli/launch.js')], cwd: root });
    expect(second).toEqual({ code: 0, stdout: 'ran with check x\n', stderr: '' });
  });

  it('says what to do when it cannot build', async () => {
    const root = project('no-typescript', false);
    const result = await runCli(['--help'], { command: [process.execPath, join(root, 'scripts/cli/launch.js')], cwd: root });
    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toEqual(['error: the CLI is not built (dist/ is missing) and TypeScript is not installed: run `npm ci`, then `npm run build`']);
  });

  it('is what the package script runs', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.infrared).toBe('node scripts/cli/launch.js');
  });
});

describe("infrared token refuses a key that is not the member's", () => {
  const keys = join(dir, 'token-keys');
  let made: Promise<{ kafshata: string; nodoSur: string; registry: string }> | undefined;
  const setup = () =>
    (made ??= (async () => {
      mkdirSync(keys, { recursive: true });
      const kafshata = await createKeyPair();
      const nodoSur = await createKeyPair();
      writeFileSync(join(keys, 'kafshata.jwk.json'), JSON.stringify(kafshata.privateJwk));
      writeFileSync(join(keys, 'kafshata.jwks.json'), JSON.stringify({ keys: [kafshata.publicJwk] }));
      writeFileSync(join(keys, 'nodo-sur.jwk.json'), JSON.stringify(nodoSur.privateJwk));
      writeFileSync(join(keys, 'unnamed.json'), JSON.stringify(kafshata.privateJwk));
      const registry = join(keys, 'network.yaml');
      writeFileSync(
        registry,
        stringify({
          network: { id: 'testnet', name: 'Test' },
          members: [
            { id: 'kafshata', name: 'Kafshata', region: 'Balkans', url: 'https://a.example/graphql', keys: [publicPart(kafshata.privateJwk)] },
            { id: 'nodo-sur', name: 'Nodo Sur', region: 'LatAm', url: 'https://b.example/graphql', keys: [publicPart(nodoSur.privateJwk)] },
          ],
        }),
      );
      return { kafshata: join(keys, 'kafshata.jwk.json'), nodoSur: join(keys, 'nodo-sur.jwk.json'), registry };
    })());
  const token = (...args: string[]) => runCli(['token', '--sub', 'bot', ...args], { env: { INFRARED_REGISTRY: '' } });

  it("by the key file's member, without a registry", async () => {
    const { kafshata } = await setup();
    const refused = await token('--key', kafshata, '--member', 'nodo-sur');
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(lines(refused.stderr)).toEqual([`error: --key: ${kafshata} is the key of "kafshata" (by its name), not of "nodo-sur"; every gateway would refuse the token`]);
  });

  it('by the kid in the public JWKS beside the key file', async () => {
    const { nodoSur } = await setup();
    const impostor = join(keys, 'kafshata-copy');
    mkdirSync(impostor, { recursive: true });
    copyFileSync(nodoSur, join(impostor, 'kafshata.jwk.json'));
    copyFileSync(join(keys, 'kafshata.jwks.json'), join(impostor, 'kafshata.jwks.json'));
    const refused = await token('--key', join(impostor, 'kafshata.jwk.json'), '--member', 'kafshata');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error: --key: the kid of .* is not in .*kafshata\.jwks\.json; every gateway would refuse the token\n$/);
  });

  it('by the keys pinned in the registry (--registry or INFRARED_REGISTRY)', async () => {
    const { kafshata, registry } = await setup();
    const renamed = join(keys, 'unnamed.json');
    const refused = await token('--key', renamed, '--member', 'nodo-sur', '--registry', registry);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error: --key: .*unnamed\.json \(kid [\w-]+\) is not one of nodo-sur's keys in .*network\.yaml; every gateway would refuse the token\n$/);
    const fromEnv = await runCli(['token', '--sub', 'bot', '--key', renamed, '--member', 'nodo-sur'], { env: { INFRARED_REGISTRY: registry } });
    expect(fromEnv.code).toBe(2);
    const unknown = await token('--key', kafshata, '--member', 'ghost', '--registry', registry);
    expect(lines(unknown.stderr)).toEqual([`error: --member: "ghost" is not a member in ${registry}; every gateway would refuse the token`]);
    const wrongNetwork = await token('--key', kafshata, '--member', 'kafshata', '--registry', registry, '--aud', 'infrared');
    expect(lines(wrongNetwork.stderr)).toEqual([`error: --aud: "infrared" is not the network id in ${registry} ("testnet"); every gateway would refuse the token`]);

    const issued = await token('--key', renamed, '--member', 'kafshata', '--registry', registry);
    expect(issued.stderr).toBe('');
    expect(issued.code).toBe(0);
    expect(decodeJwt(issued.stdout.trim())).toMatchObject({ iss: 'kafshata', aud: 'testnet' });
  });

  it('warns, and issues, when nothing can tell whose key it is', async () => {
    await setup();
    const result = await token('--key', join(keys, 'unnamed.json'), '--member', 'kafshata');
    expect(result.code).toBe(0);
    expect(lines(result.stderr)).toEqual([`warning: cannot tell whether ${join(keys, 'unnamed.json')} is kafshata's key; give --registry (or INFRARED_REGISTRY) to check it against the pinned keys`]);
    expect(decodeJwt(result.stdout.trim())).toMatchObject({ iss: 'kafshata', aud: 'infrared' });
  });
});

describe('help and version', () => {
  it('--version prints the package version and the contract version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^infrared ${version.replace(/\./g, '\\.')} \\(network contract \\d+\\.\\d+\\.\\d+, Node\\.js v\\d+`));
  });

  it.each([[[] as string[]], [['query']]])('infrared %s --help mentions INFRARED_GATEWAY_URL', async (command) => {
    const result = await runCli([...command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\n {2}INFRARED_GATEWAY_URL +the gateway endpoint/);
  });

  it('the query example file in `query --help` exists', async () => {
    const help = (await runCli(['query', '--help'])).stdout;
    const files = [...help.matchAll(/ (\S+\.graphql)\b/g)].map((m) => m[1]);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(existsSync(join(ROOT, file))).toBe(true);
  });

  /** Each environment variable with the default that the service itself resolves. */
  const cases: [string, Record<string, string>, () => Record<string, unknown>, string][] = [
    // the required setting is given, so that the rest resolve to their defaults
    ['gateway start', GATEWAY_ENV, () => resolveGatewayConfig({ registryFile: 'network.yaml' }, {}), 'registryFile'],
    ['member start', MEMBER_ENV, () => resolveMemberConfig({ memberId: 'kafshata' }, {}), 'memberId'],
  ];
  it.each(cases)('%s --help lists every environment setting with its default', async (command, env, defaults, required) => {
    const help = (await runCli([...command.split(' '), '--help'])).stdout;
    const section = help.slice(help.indexOf('Environment settings'));
    const resolved = defaults();
    for (const [name, key] of Object.entries(env)) {
      const line = section.split('\n').find((l) => l.trim().startsWith(`${name} `));
      expect(line).toBeDefined();
      const value = key === required ? 'required' : resolved[key];
      const expected = value === undefined ? 'unset' : Array.isArray(value) ? value.join(',') : String(value);
      expect(line).toContain(`${key}: `);
      expect(line).toContain(`(default: ${expected})`);
    }
  });

  it('the README configuration reference names every environment variable of both services', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const reference = readme.slice(readme.indexOf('## Configuration'));
    for (const name of [...Object.keys(GATEWAY_ENV), ...Object.keys(MEMBER_ENV)]) expect(reference).toContain(`\`${name}\``);
  });
});
