import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import { parse, stringify } from 'yaml';
import { openDatabase } from '../../subgraphs/member/src/db/orm';
import { databaseUrl, quietLogger, uniqueSchema } from '../support/network';

const ROOT = join(__dirname, '../..');
const CLI = join(ROOT, 'dist/scripts/cli/infrared.js');
const DEMO_FILE = join(ROOT, 'demo/members/kafshata.yaml');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a real process. */
function run(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    // DATABASE_URL from the environment must not leak into `member import`: tests pass --database-url
    const env = { ...process.env, DATABASE_URL: '', INFRARED_MEMBER_ID: '', NODE_OPTIONS: '' };
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const lines = (text: string) => text.trimEnd().split('\n');

if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npx tsc -p .; npm test does it through pretest)`);

// Each run starts a Node process (a few seconds, more on a busy machine), so independent tests
// run concurrently, with room for the ones that run the CLI several times.
jest.setTimeout(120_000);
const dir = mkdtempSync(join(tmpdir(), 'infrared-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('infrared keygen', () => {
  it.concurrent('writes a private JWK (mode 0600) whose kid is the RFC 7638 thumbprint, a public JWKS, and a keys: snippet', async () => {
    const out = join(dir, 'keys-a');
    const { code, stdout, stderr } = await run(['keygen', '--member', 'kafshata', '--out', out]);
    expect(stderr).toBe('');
    expect(code).toBe(0);

    const privateFile = join(out, 'kafshata.jwk.json');
    expect(statSync(privateFile).mode & 0o777).toBe(0o600);
    const privateJwk = JSON.parse(readFileSync(privateFile, 'utf8')) as JWK & { kid: string };
    expect(privateJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', d: expect.any(String), x: expect.any(String) });
    const thumbprint = await calculateJwkThumbprint({ kty: privateJwk.kty, crv: privateJwk.crv, x: privateJwk.x }, 'sha256');
    expect(privateJwk.kid).toBe(thumbprint);

    const jwks = JSON.parse(readFileSync(join(out, 'kafshata.jwks.json'), 'utf8')) as { keys: JWK[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', x: privateJwk.x, kid: thumbprint });

    expect(stdout).toContain(`kid: ${thumbprint}`);
    expect(stdout).toContain(privateFile);
    const snippet = stdout.slice(stdout.indexOf('\nkeys:') + 1);
    expect(snippet.startsWith('keys:')).toBe(true);
    expect(parse(snippet)).toEqual({ keys: jwks.keys });
    expect(stdout).not.toContain(privateJwk.d!);
  });

  it.concurrent('refuses to overwrite a private key without --force, and replaces it with --force', async () => {
    const out = join(dir, 'keys-b');
    expect((await run(['keygen', '--member', 'nodo-sur', '--out', out])).code).toBe(0);
    const privateFile = join(out, 'nodo-sur.jwk.json');
    const original = readFileSync(privateFile, 'utf8');

    const refused = await run(['keygen', '--member', 'nodo-sur', '--out', out]);
    expect(refused.code).not.toBe(0);
    expect(lines(refused.stderr)).toHaveLength(1);
    expect(refused.stderr).toMatch(/^error: .*nodo-sur\.jwk\.json exists; use --force/);
    expect(refused.stdout).toBe('');
    expect(readFileSync(privateFile, 'utf8')).toBe(original);

    const forced = await run(['keygen', '--member', 'nodo-sur', '--out', out, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(privateFile, 'utf8')).not.toBe(original);
  });

  it.concurrent('refuses a member id that is not one, in one line', async () => {
    const result = await run(['keygen', '--member', 'Not An Id', '--out', join(dir, 'keys-c')]);
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual(['error: --member: "Not An Id" is not a member id (lowercase letters, digits and "-")']);
    expect(existsSync(join(dir, 'keys-c', 'Not An Id.jwk.json'))).toBe(false);
  });
});

describe('infrared token', () => {
  const keyFile = join(dir, 'token-keys', 'kafshata.jwk.json');
  let created: Promise<JWK & { kid: string }> | undefined;
  /** A key made by `infrared keygen`, once; resolves to its public half. */
  const publicKey = () =>
    (created ??= run(['keygen', '--member', 'kafshata', '--out', join(dir, 'token-keys')]).then((r) => {
      if (r.code !== 0) throw new Error(`keygen failed: ${r.stderr}`);
      return (JSON.parse(readFileSync(join(dir, 'token-keys', 'kafshata.jwks.json'), 'utf8')) as { keys: (JWK & { kid: string })[] }).keys[0];
    }));

  it.concurrent('prints an EdDSA JWT with the kid and every claim, verifiable with the public key', async () => {
    const publicJwk = await publicKey();
    const before = Math.floor(Date.now() / 1000);
    const { code, stdout, stderr } = await run(['token', '--key', keyFile, '--member', 'kafshata', '--sub', 'bot', '--scope', 'read write', '--ttl', '1h', '--aud', 'infrared']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(lines(stdout)).toHaveLength(1);
    const token = stdout.trim();

    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', kid: publicJwk.kid, typ: 'JWT' });
    const claims = decodeJwt(token);
    expect(claims).toEqual({
      iss: 'kafshata',
      sub: 'bot',
      aud: 'infrared',
      iat: expect.any(Number),
      nbf: expect.any(Number),
      exp: expect.any(Number),
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      scope: 'read write',
    });
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(claims.nbf).toBe(claims.iat);
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.iat).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));

    const { payload, protectedHeader } = await jwtVerify(token, await importJWK(publicJwk, 'EdDSA'), { issuer: 'kafshata', audience: 'infrared', algorithms: ['EdDSA'] });
    expect(protectedHeader.kid).toBe(publicJwk.kid);
    expect(payload.sub).toBe('bot');
  });

  it.concurrent('issues a different jti every time', async () => {
    await publicKey();
    const args = ['token', '--key', keyFile, '--member', 'kafshata', '--sub', 'bot'];
    const [a, b] = await Promise.all([run(args), run(args)]);
    expect(decodeJwt(a.stdout.trim()).jti).not.toBe(decodeJwt(b.stdout.trim()).jti);
    expect(decodeJwt(a.stdout.trim()).scope).toBe('read');
  });

  it.concurrent.each([
    ['a lifetime over 30 days', ['--ttl', '31d'], 'error: --ttl: at most 30d (the gateway refuses longer tokens)'],
    ['a lifetime that is not a duration', ['--ttl', 'soon'], 'error: --ttl: "soon" is not a duration such as 90s, 15m, 1h or 7d'],
    ['an unknown scope', ['--scope', 'read admin'], 'error: --scope: unknown scope admin (known: read, write)'],
  ])('refuses %s with a one-line error', async (_name, extra, message) => {
    await publicKey();
    const result = await run(['token', '--key', keyFile, '--member', 'kafshata', '--sub', 'bot', ...extra]);
    expect(result.code).not.toBe(0);
    expect(lines(result.stderr)).toEqual([message]);
    expect(result.stdout).toBe('');
  });

  it.concurrent('refuses a key file that is missing, or not a private key', async () => {
    const publicJwk = await publicKey();
    const missing = await run(['token', '--key', join(dir, 'nope.json'), '--member', 'kafshata', '--sub', 'bot']);
    expect(missing.code).toBe(2);
    expect(lines(missing.stderr)).toHaveLength(1);
    expect(missing.stderr).toMatch(/^error: --key: cannot read private key /);

    const publicOnly = join(dir, 'public-only.json');
    writeFileSync(publicOnly, JSON.stringify(publicJwk));
    const notPrivate = await run(['token', '--key', publicOnly, '--member', 'kafshata', '--sub', 'bot']);
    expect(notPrivate.code).toBe(2);
    expect(lines(notPrivate.stderr)).toEqual([`error: --key: ${publicOnly} is not a private Ed25519 or P-256 JWK with a kid`]);
  });
});

describe('infrared check', () => {
  it.concurrent('accepts a valid demo data file', async () => {
    const { code, stdout } = await run(['check', DEMO_FILE]);
    expect(code).toBe(0);
    expect(stdout).toContain(`${DEMO_FILE}: valid data file for member "kafshata": 5 services, 3 projects`);
  });

  it.concurrent('lists every problem of a broken copy with its path, and exits 2', async () => {
    const file = parse(readFileSync(DEMO_FILE, 'utf8'));
    file.services[2].kind = 'NOPE';
    file.services[0].capacity[0].used = 6000;
    file.projects[1].id = 'shared-backup';
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, stringify(file));
    const { code, stdout, stderr } = await run(['check', broken]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const out = lines(stderr);
    expect(out[0]).toBe(`error: ${broken}: 3 problems:`);
    expect(
      out
        .slice(1)
        .map((l) => l.trim().replace(/ \(line \d+, column \d+\)$/, ''))
        .sort(),
    ).toEqual([
      'projects[1].id: duplicate project id "shared-backup" (first at projects[0])',
      'services[0].capacity[0].used: must not exceed total (5000)',
      expect.stringMatching(/^services\[2\]\.kind: expected one of EMAIL, /),
    ]);
  });

  it.concurrent('names the line of a YAML syntax error', async () => {
    const broken = join(dir, 'syntax.yaml');
    writeFileSync(broken, 'member: kafshata\nmember: kafshata\n');
    const { code, stderr } = await run(['check', broken]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/\n {2}line 2: Map keys must be unique/);
  });

  it.concurrent('validates a registry file, with warnings for what is missing', async () => {
    const registry = join(dir, 'network.yaml');
    writeFileSync(
      registry,
      stringify({
        network: { id: 'infrared', name: 'InfraRed' },
        members: [
          { id: 'kafshata', name: 'Kafshata', region: 'Balkans', url: 'https://graph.kafshata.example/graphql' },
          { id: 'nodo-sur', name: 'Nodo Sur', region: 'Latin America', url: 'https://graph.nodosur.example/graphql' },
        ],
      }),
    );
    const { code, stdout } = await run(['check', registry]);
    expect(code).toBe(0);
    expect(lines(stdout)).toEqual([
      `${registry}: valid registry for network "infrared": 2 members, 0 gateways`,
      'warning: no pinned keys for kafshata, nodo-sur: their tokens cannot be verified',
      'warning: no gateways listed: members will answer every sub-request as anonymous',
    ]);
  });

  it.concurrent('refuses a broken registry file with the paths of its problems', async () => {
    const registry = join(dir, 'bad-network.yaml');
    writeFileSync(
      registry,
      stringify({
        network: { id: 'infrared', name: 'InfraRed' },
        members: [
          { id: 'kafshata', name: 'Kafshata', region: 'Balkans', url: 'https://a.example/graphql' },
          { id: 'kafshata', name: 'Again', region: 'Balkans', url: 'https://b.example/graphql' },
        ],
      }),
    );
    const { code, stderr } = await run(['check', registry]);
    expect(code).toBe(2);
    expect(lines(stderr)).toEqual([`error: ${registry}: 1 problem:`, expect.stringMatching(/^ {2}members\[1\]\.id: duplicate member id "kafshata" \(line \d+, column \d+\)$/)]);
  });

  it.concurrent('says so, in one line, when the file cannot be read', async () => {
    const { code, stderr } = await run(['check', join(dir, 'missing.yaml')]);
    expect(code).toBe(1);
    expect(lines(stderr)).toEqual([`error: cannot read ${join(dir, 'missing.yaml')}: ENOENT`]);
  });
});

describe('infrared member import', () => {
  const schema = uniqueSchema('kafshata');

  afterAll(async () => {
    const orm = await openDatabase({ url: databaseUrl(), schema, poolMax: 1 }, quietLogger());
    // the schema is dropped by the global teardown (see test/support/global-teardown.ts)
    await orm.close(true);
  });

  const importArgs = (...extra: string[]) => ['member', 'import', '--member', 'kafshata', '--database-url', databaseUrl(), '--schema', schema, ...extra, DEMO_FILE];

  it.concurrent('with --check validates only and writes nothing; without it, writes', async () => {
    const checked = await run(importArgs('--check'));
    expect(checked.stderr).toBe('');
    expect(checked.code).toBe(0);
    expect(lines(checked.stdout)).toEqual([`${DEMO_FILE}: valid (5 services, 3 projects); nothing was written (--check)`]);

    // had --check written anything, this first real import would find it "unchanged"
    const imported = await run(importArgs());
    expect(imported.code).toBe(0);
    expect(lines(imported.stdout)).toEqual(
      expect.arrayContaining([
        'services: 5 created, 0 updated, 0 unchanged, 0 removed',
        'capacity: 8 created, 0 updated, 0 unchanged, 0 removed',
        'projects: 3 created, 0 updated, 0 unchanged, 0 removed',
      ]),
    );

    const again = await run(importArgs());
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('services: 0 created, 0 updated, 5 unchanged, 0 removed');
  });

  it.concurrent('with --check refuses a file for another member, writing nothing, exit 2', async () => {
    const result = await run(['member', 'import', '--member', 'nodo-sur', '--database-url', 'postgres://nobody@127.0.0.1:9/none', '--check', DEMO_FILE]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${DEMO_FILE}: nothing was written;`);
    expect(result.stderr).toContain('member: the file is for "kafshata", but this subgraph is "nodo-sur"');
  });
});

describe('--help', () => {
  it.concurrent.each([['keygen'], ['token'], ['check'], ['member import'], ['member start'], ['gateway start'], ['query'], ['demo']])('of %s prints an Examples section', async (command) => {
    const { code, stdout } = await run([...command.split(' '), '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/\nExamples:\n {2}\$ infrared /);
  });
});
