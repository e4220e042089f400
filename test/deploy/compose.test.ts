/**
 * docker-compose.yml and the Dockerfile, checked without Docker: the file is parsed, and
 * everything it names is held against the repository, the code and the built CLI.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, relative } from 'node:path';
import { parse } from 'yaml';
import { registrySchema } from '../../common/registry/registry.schema';
import { GATEWAY_SEMI_SPACE_OPTION } from '../../gateway/src/limits/young-generation';

const ROOT = join(__dirname, '../..');
const CLI = join(ROOT, 'dist/scripts/cli/infrared.js');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npx tsc -p .; npm test does it through pretest)`);
jest.setTimeout(120_000);

interface Service {
  image?: string;
  pull_policy?: string;
  stop_grace_period?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  ports?: (string | number | { host_ip?: string; published?: string | number; target?: number })[];
  volumes?: (string | { type?: string; source?: string; target?: string; read_only?: boolean; bind?: { create_host_path?: boolean } })[];
  secrets?: (string | { source: string; target?: string })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
}
interface Compose {
  services: Record<string, Service>;
  secrets?: Record<string, { file?: string; environment?: string }>;
  volumes?: Record<string, unknown>;
}

// Compose supports YAML merge keys (`<<: *member`), so the parse must too.
const compose = parse(read('docker-compose.yml'), { merge: true }) as Compose;
const services = Object.entries(compose.services);
const deployReadme = read('deploy/README.md');

const commandOf = (s: Service): string[] => (Array.isArray(s.command) ? s.command.map(String) : typeof s.command === 'string' ? s.command.split(/\s+/).filter(Boolean) : []);
const envOf = (s: Service): Record<string, string> => {
  if (Array.isArray(s.environment)) return Object.fromEntries(s.environment.map((e) => [e.split('=')[0], e.split('=').slice(1).join('=')]));
  return Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, String(v ?? '')]));
};
const secretsOf = (s: Service): string[] => (s.secrets ?? []).map((x) => (typeof x === 'string' ? x : x.source));
const dependsOf = (s: Service): Record<string, string | undefined> =>
  Array.isArray(s.depends_on) ? Object.fromEntries(s.depends_on.map((d) => [d, undefined])) : Object.fromEntries(Object.entries(s.depends_on ?? {}).map(([k, v]) => [k, v?.condition]));

/** The one service that builds the image from this repository. */
const builders = services.filter(([, s]) => s.build !== undefined);
const builtImage = builders[0]?.[1].image;
/** Services that run our image (built from this repository): the CLI is their entrypoint. */
const infrared = services.filter(([, s]) => s.build !== undefined || (builtImage !== undefined && s.image === builtImage));
const roleOf = (s: Service) => commandOf(s)[0];
const members = infrared.filter(([, s]) => roleOf(s) === 'member');
const gateways = infrared.filter(([, s]) => roleOf(s) === 'gateway');

/** Each member's database, role (user) and password variable, from its DATABASE_URL. */
const memberDatabases = members.map(([, s]) => {
  const url = new URL(envOf(s).DATABASE_URL.replace(/\$\{[^}]*\}/, 'x'));
  return { db: url.pathname.slice(1), role: url.username, variable: /\$\{([A-Z_]+):/.exec(envOf(s).DATABASE_URL)?.[1] ?? '' };
});

/** A psql script as statements: `\meta` commands are one line each, SQL ends at `;`; comments dropped, spaces collapsed. */
function psqlStatements(script: string): string[] {
  const out: string[] = [];
  let sqlPart = '';
  for (const raw of script.split('\n')) {
    const line = raw.replace(/--.*$/, '').trim();
    if (!line) continue;
    if (line.startsWith('\\') && !sqlPart) {
      out.push(line.replace(/\s+/g, ' '));
      continue;
    }
    sqlPart += ` ${line}`;
    if (line.endsWith(';')) {
      out.push(sqlPart.replace(/;$/, '').replace(/\s+/g, ' ').trim());
      sqlPart = '';
    }
  }
  if (sqlPart.trim()) out.push(sqlPart.trim());
  return out;
}

/** Bind mounts as [host source, container target]; named volumes are left out. */
function bindMounts(s: Service): { source: string; target: string }[] {
  return (s.volumes ?? []).flatMap((v) => {
    if (typeof v === 'string') {
      const [source, target] = v.split(':');
      return source.startsWith('.') || source.startsWith('/') || source.startsWith('~') ? [{ source, target }] : [];
    }
    return v.type === 'bind' && v.source ? [{ source: v.source, target: v.target ?? '' }] : [];
  });
}

/** A path the compose file names, relative to the repository (the compose project directory). */
function repoPath(p: string): string {
  expect(isAbsolute(p) || p.startsWith('~')).toBe(false); // host paths outside the project make the file unportable
  const rel = normalize(relative(ROOT, join(ROOT, p)));
  expect(rel.startsWith('..')).toBe(false);
  return rel;
}

/** The env var names a config module reads: the keys of its `const ENV = { ... }` map. */
function envMapOf(file: string): Set<string> {
  const block = /const ENV[^=]*=\s*\{([\s\S]*?)\};/.exec(read(file));
  if (!block) throw new Error(`${file}: no ENV map found`);
  const names = [...block[1].matchAll(/^\s*([A-Z][A-Z0-9_]*)\s*:/gm)].map((m) => m[1]);
  expect(names.length).toBeGreaterThan(3);
  return new Set(names);
}
const MEMBER_ENV = envMapOf('subgraphs/member/src/config.ts');
const GATEWAY_ENV = envMapOf('gateway/src/config.ts');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
function cli(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('docker-compose.yml', () => {
  it('has the expected services, three members and one gateway built from this repository', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['gateway', 'member-ironweed', 'member-kafshata', 'member-nodo-sur', 'postgres', 'redis']);
    expect(members.map(([name]) => name).sort()).toEqual(['member-ironweed', 'member-kafshata', 'member-nodo-sur']);
    expect(gateways.map(([name]) => name)).toEqual(['gateway']);
  });

  it.each(services)('%s has a healthcheck', (_name, s) => {
    expect(s.healthcheck?.disable).not.toBe(true);
    const test = s.healthcheck?.test;
    expect(Array.isArray(test) ? test.length > 1 && test[0] !== 'NONE' : typeof test === 'string' && test.length > 0).toBe(true);
  });

  it.each(infrared)('%s checks /health with node (no curl in the slim image), on the port it listens on', (_name, s) => {
    const test = (s.healthcheck!.test as string[]).join(' ');
    expect(test).toMatch(/^CMD node -e /);
    expect(test).not.toMatch(/curl|wget/);
    expect(test).toContain(`127.0.0.1:${envOf(s).PORT}/health`);
  });

  it('builds the image once, under one tag that every InfraRed service reuses and never pulls', () => {
    expect(builders.map(([name]) => name)).toEqual(['gateway']);
    expect(builtImage).toMatch(/^[a-z0-9-]+:local$/);
    expect(infrared.map(([name]) => name).sort()).toEqual(['gateway', 'member-ironweed', 'member-kafshata', 'member-nodo-sur']);
    for (const [, s] of infrared) {
      expect(s.image).toBe(builtImage);
      if (s.build === undefined) expect(s.pull_policy).toBe('never'); // a local tag must never be fetched from a registry
    }
  });

  it.each(infrared)('%s gives the graceful shutdown (drain delay + in-flight timeout) time before SIGKILL', (_name, s) => {
    const seconds = /^(\d+)s$/.exec(s.stop_grace_period ?? '')?.[1];
    const env = envOf(s);
    const delayMs = Number(env.INFRARED_SHUTDOWN_DELAY_MS ?? 5000);
    const timeoutMs = Number(env.INFRARED_SHUTDOWN_TIMEOUT_MS ?? 10_000);
    expect(Number(seconds) * 1000).toBeGreaterThan(delayMs + timeoutMs);
  });

  it.each(builders)('%s: the build context exists and holds the Dockerfile', (_name, s) => {
    const context = typeof s.build === 'string' ? s.build : (s.build?.context ?? '.');
    const dockerfile = typeof s.build === 'object' && s.build.dockerfile ? s.build.dockerfile : 'Dockerfile';
    const dir = join(ROOT, repoPath(context));
    expect(statSync(dir).isDirectory()).toBe(true);
    expect(existsSync(join(dir, dockerfile))).toBe(true);
  });

  // Commander prints the top-level help (and exits 0) for an unknown command with --help, so the
  // usage line must name the whole subcommand.
  const commands = [
    ...new Set(
      infrared.map(([, s]) =>
        commandOf(s)
          .filter((w) => !w.startsWith('-'))
          .join(' '),
      ),
    ),
  ];
  it.each(commands)('"infrared %s" is a real CLI command (--help exits 0 and shows its usage)', async (command) => {
    expect(command.split(' ')[0]).toMatch(/^(member|gateway)$/);
    const run = await cli([...command.split(' '), '--help']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: infrared ${command} [options]`);
  });

  it('the import command deploy/README.md documents is a real CLI command, and the data files it names are in the image', async () => {
    const imports = [...deployReadme.matchAll(/docker compose run --rm (\S+) member import \/app\/(\S+)/g)];
    expect(imports.map((m) => m[1]).sort()).toEqual(members.map(([name]) => name).sort());
    for (const [, service, file] of imports) {
      expect(existsSync(join(ROOT, file))).toBe(true);
      expect(file).toMatch(/^demo\//); // the runtime stage copies demo/
      expect(file).toContain(envOf(compose.services[service]).INFRARED_MEMBER_ID);
    }
    const run = await cli(['member', 'import', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: infrared member import [options] <file>');
  });

  describe('mounted files', () => {
    const mounts = services.flatMap(([name, s]) => bindMounts(s).map((m) => [name, m.source, m.target] as const));
    const secretFiles = Object.entries(compose.secrets ?? {}).map(([name, secret]) => [name, secret.file] as const);
    /** deploy/README.md's "Files you create" section: files the operator makes, not repository files. */
    const filesYouCreate = /^## Files you create[^\n]*\n([\s\S]*?)(?=^## )/m.exec(deployReadme)?.[1] ?? '';
    const documented = (rel: string) => filesYouCreate.includes(`| \`${rel}\` |`);
    const operatorFiles = [...new Set([...mounts.map(([, source]) => source), ...secretFiles.map(([, file]) => file ?? '')])]
      .map((p) => normalize(p))
      .filter(documented)
      .sort();

    it.each(mounts)('%s mounts %s: a repository file, or one deploy/README.md tells the operator to create', (_service, source) => {
      const rel = repoPath(source);
      if (!documented(rel)) expect(existsSync(join(ROOT, rel))).toBe(true);
    });

    it.each(secretFiles)('secret %s comes from a file made by `infrared keygen`, documented in deploy/README.md', (name, file) => {
      expect(file).toBeDefined();
      const rel = repoPath(file!);
      expect(rel).toMatch(/^deploy\/keys\/[a-z0-9-]+\.jwk\.json$/);
      // the README names the file, and the keygen command that writes it
      const id = rel.replace(/^deploy\/keys\//, '').replace(/\.jwk\.json$/, '');
      expect(documented(rel)).toBe(true);
      expect(filesYouCreate).toContain(`| \`infrared keygen --member ${id} --out deploy/keys\` |`);
      expect(Object.values(compose.services).some((s) => secretsOf(s).includes(name))).toBe(true);
    });

    it('the registry and the keys are operator-created (documented), never repository files', () => {
      expect(operatorFiles).toEqual(['deploy/keys/compose-gateway.jwk.json', 'deploy/keys/ironweed.jwk.json', 'deploy/keys/kafshata.jwk.json', 'deploy/keys/nodo-sur.jwk.json', 'deploy/network.yaml']);
      const dockerignore = read('.dockerignore')
        .split('\n')
        .map((l) => l.trim());
      expect(dockerignore).toEqual(expect.arrayContaining(['deploy/keys', 'deploy/network.yaml', '.env']));
    });

    it('the registry mount is read-only and refuses a missing file instead of creating a directory', () => {
      for (const [, s] of infrared) {
        const registry = (s.volumes ?? []).find((v) => typeof v === 'object' && v.source === './deploy/network.yaml');
        expect(registry).toMatchObject({ type: 'bind', target: envOf(s).INFRARED_REGISTRY, read_only: true, bind: { create_host_path: false } });
      }
    });

    it('the postgres init script is mounted into docker-entrypoint-initdb.d', () => {
      const init = bindMounts(compose.services.postgres).find((m) => m.source === './deploy/postgres-init.sql');
      expect(init?.target).toMatch(/^\/docker-entrypoint-initdb\.d\/.+\.sql$/);
    });
  });

  describe('deploy/postgres-init.sql: a role and a database per member, no rights across', () => {
    const statements = psqlStatements(read('deploy/postgres-init.sql'));
    const superuserDb = envOf(compose.services.postgres).POSTGRES_DB;

    it('stops at the first error (a missing password is a failed start, not a role without one)', () => {
      expect(statements[0]).toBe('\\set ON_ERROR_STOP on');
    });

    it("creates exactly the members' databases, each with its own owner role", () => {
      const created = statements.filter((x) => /^CREATE DATABASE /i.test(x)).map((x) => /^CREATE DATABASE (\w+) OWNER (\w+)$/i.exec(x)?.slice(1));
      expect(created.sort()).toEqual(memberDatabases.map((m) => [m.db, m.role]).sort());
      expect(new Set(created.map((c) => c?.[1])).size).toBe(members.length); // no role owns two
      expect(new Set(created.map((c) => c?.[0])).size).toBe(members.length);
    });

    it.each(members.map(([name]) => name))('%s: a login role with no superuser, database or role creation rights, and its password from its own variable', (name) => {
      const m = memberDatabases[members.findIndex(([n]) => n === name)];
      const role = statements.find((x) => new RegExp(`^CREATE ROLE ${m.role} `, 'i').test(x));
      expect(role).toBeDefined();
      for (const word of ['LOGIN', 'NOSUPERUSER', 'NOCREATEDB', 'NOCREATEROLE', 'NOREPLICATION', 'NOBYPASSRLS']) expect(role!.split(' ')).toContain(word);
      const variable = /PASSWORD :'(\w+)'$/.exec(role!)?.[1];
      expect(variable).toBeDefined();
      expect(statements).toContain(`\\getenv ${variable} ${m.variable}`);
      expect(statements).toContain(`REVOKE ALL ON DATABASE ${m.db} FROM PUBLIC`);
    });

    it("revokes CONNECT from PUBLIC on the maintenance databases and the superuser's", () => {
      for (const db of ['postgres', 'template1', superuserDb]) expect(statements).toContain(`REVOKE CONNECT, TEMPORARY ON DATABASE ${db} FROM PUBLIC`);
    });

    it('grants nothing, and nothing else: only the statements above', () => {
      expect(statements.filter((x) => /^GRANT /i.test(x))).toEqual([]);
      const known = /^(\\set ON_ERROR_STOP on|\\getenv \w+ [A-Z_]+|CREATE ROLE .+|CREATE DATABASE .+|REVOKE (ALL|CONNECT, TEMPORARY) ON DATABASE \w+ FROM PUBLIC)$/;
      expect(statements.filter((x) => !known.test(x))).toEqual([]);
    });
  });

  describe("the file's header and deploy/README.md", () => {
    const header = read('docker-compose.yml')
      .split('\n')
      .filter((l) => l.startsWith('#'))
      .map((l) => l.replace(/^#\s*/, ''))
      .join('\n');
    const commandsIn = (text: string) => [...text.matchAll(/(docker compose [a-z][^\n→]*?)\s*(?:→|$)/gm)].map((m) => m[1].trim());

    it('name the same docker compose commands, in the same order', () => {
      const fromHeader = commandsIn(header);
      expect(fromHeader.length).toBeGreaterThanOrEqual(3);
      for (const command of fromHeader) expect(deployReadme).toContain(command);
      const order = (cmds: string[]) => cmds.map((c) => c.split(' ').slice(0, 3).join(' ')).filter((c, i, all) => all.indexOf(c) === i);
      const readmeSteps = order(commandsIn(deployReadme)).filter((c) => /^docker compose (build|run|up)$/.test(c));
      expect(order(fromHeader)).toEqual(readmeSteps);
      for (const c of ['docker compose build', 'docker compose up -d']) {
        expect(fromHeader).toContain(c);
        expect(commandsIn(deployReadme)).toContain(c);
      }
    });

    it('give the same password setup', () => {
      const line = /for v in [^\n]+/.exec(header)?.[0];
      expect(line).toBeDefined();
      expect(deployReadme).toContain(line!);
      for (const { variable } of memberDatabases) expect(line).toContain(variable);
    });
  });

  describe('environment', () => {
    it.each(members)('%s only sets variables the member config reads', (_name, s) => {
      const unknown = Object.keys(envOf(s)).filter((k) => !MEMBER_ENV.has(k) && k !== 'NODE_ENV');
      expect(unknown).toEqual([]);
    });

    it.each(gateways)('%s only sets variables the gateway config reads', (_name, s) => {
      const unknown = Object.keys(envOf(s)).filter((k) => !GATEWAY_ENV.has(k) && k !== 'NODE_ENV' && k !== 'NODE_OPTIONS');
      expect(unknown).toEqual([]);
    });

    it.each(gateways)("%s runs with the gateway's young generation unless the operator chooses otherwise", (_name, s) => {
      // Compose's ${VAR-default}: the operator's INFRARED_GATEWAY_NODE_OPTIONS (empty too), else the gateway's own
      expect(envOf(s).NODE_OPTIONS).toBe(`\${INFRARED_GATEWAY_NODE_OPTIONS-${GATEWAY_SEMI_SPACE_OPTION}}`);
    });

    it.each(members)('%s keeps V8 defaults (the young generation is the gateway setting)', (_name, s) => {
      expect(envOf(s).NODE_OPTIONS).toBeUndefined();
    });

    it.each(members)('%s: its own id, database, key secret, and the registry', (name, s) => {
      const env = envOf(s);
      expect(name).toBe(`member-${env.INFRARED_MEMBER_ID}`);
      expect(env).toMatchObject({ HOST: '0.0.0.0', PORT: '4001', INFRARED_REGISTRY: '/run/infrared/network.yaml', DATABASE_SCHEMA: 'infrared' });
      expect(env.DATABASE_URL).toMatch(new RegExp(`^postgres://[^@]+@postgres:5432/member_${env.INFRARED_MEMBER_ID.replace(/-/g, '_')}$`));
      expect(env.INFRARED_MEMBER_KEY).toBe(`/run/secrets/${env.INFRARED_MEMBER_ID}-key`);
      expect(secretsOf(s)).toEqual([`${env.INFRARED_MEMBER_ID}-key`]);
      expect(compose.secrets![`${env.INFRARED_MEMBER_ID}-key`].file).toBe(`./deploy/keys/${env.INFRARED_MEMBER_ID}.jwk.json`);
      expect(dependsOf(s)).toEqual({ postgres: 'service_healthy' });
    });

    it('the gateway: its id and key secret, and Redis first, but never the members (partial results)', () => {
      const s = compose.services.gateway;
      const env = envOf(s);
      expect(env).toMatchObject({
        INFRARED_GATEWAY_ID: 'compose-gateway',
        INFRARED_GATEWAY_KEY: '/run/secrets/gateway-key',
        REDIS_URL: 'redis://redis:6379',
        HOST: '0.0.0.0',
        PORT: '4000',
        INFRARED_REGISTRY: '/run/infrared/network.yaml',
      });
      expect(secretsOf(s)).toEqual(['gateway-key']);
      expect(compose.secrets!['gateway-key'].file).toBe(`./deploy/keys/${env.INFRARED_GATEWAY_ID}.jwk.json`);
      expect(dependsOf(s)).toEqual({ redis: 'service_healthy' });
      for (const [name] of members) expect(Object.keys(dependsOf(s))).not.toContain(name);
    });

    it("database passwords come from the operator; each member gets only its own, never the superuser's", () => {
      const postgresEnv = envOf(compose.services.postgres);
      expect(postgresEnv.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
      const seen = new Set<string>();
      for (const [, s] of members) {
        const url = envOf(s).DATABASE_URL;
        const [, user, variable] = /^postgres:\/\/([a-z_]+):\$\{([A-Z_]+):\?[^}]*\}@/.exec(url) ?? [];
        expect(user).toBe(`member_${envOf(s).INFRARED_MEMBER_ID.replace(/-/g, '_')}`);
        expect(variable).toBe(`MEMBER_${envOf(s).INFRARED_MEMBER_ID.replace(/-/g, '_').toUpperCase()}_DB_PASSWORD`);
        expect(seen.has(variable)).toBe(false);
        seen.add(variable);
        // the postgres service hands the same variable to the init script
        expect(postgresEnv[variable]).toMatch(new RegExp(`^\\$\\{${variable}:\\?`));
        const everything = JSON.stringify(s);
        expect(everything).not.toContain('POSTGRES_PASSWORD');
        for (const other of members.map(([, o]) => o).filter((o) => o !== s)) {
          expect(everything).not.toContain(/\$\{([A-Z_]+):/.exec(envOf(other).DATABASE_URL)![1]);
        }
        expect(deployReadme).toContain(`${variable}=`);
      }
      expect(Object.keys(compose.services).filter((name) => JSON.stringify(compose.services[name]).includes('POSTGRES_PASSWORD'))).toEqual(['postgres']);
    });
  });

  it('network.example.yaml is a valid registry for this compose network', () => {
    const registry = registrySchema.parse(parse(read('deploy/network.example.yaml')));
    expect(registry.members.map((m) => [m.id, m.url, m.keys])).toEqual(members.map(([name, s]) => [envOf(s).INFRARED_MEMBER_ID, `http://${name}:${envOf(s).PORT}/graphql`, []]));
    expect(registry.gateways).toEqual([{ id: envOf(compose.services.gateway).INFRARED_GATEWAY_ID, keys: [] }]);
    for (const [, s] of members) expect(envOf(s).INFRARED_TRUSTED_GATEWAYS ?? registry.gateways[0].id).toBe(registry.gateways[0].id);
    expect(read('deploy/network.example.yaml')).toMatch(/paste/i);
  });

  it('publishes ports on 127.0.0.1 only', () => {
    const published = services.flatMap(([name, s]) => (s.ports ?? []).map((p) => [name, p] as const));
    expect(published.length).toBeGreaterThan(0);
    for (const [, p] of published) {
      if (typeof p === 'object') expect(p.host_ip).toBe('127.0.0.1');
      else expect(String(p)).toMatch(/^127\.0\.0\.1:\d+:\d+(\/tcp)?$/);
    }
    expect(compose.services.gateway.ports).toEqual(['127.0.0.1:4000:4000']);
    for (const [, s] of members) expect(s.ports).toBeUndefined();
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile')
    .replace(/\\\n/g, ' ') // line continuations
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const instructions = (name: string) => dockerfile.filter((l) => l.toUpperCase().startsWith(`${name} `));
  const froms = instructions('FROM');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf(froms[froms.length - 1]));

  it('is multi-stage: a build stage and a runtime stage, both node:24-bookworm-slim (Active LTS)', () => {
    expect(froms).toHaveLength(2);
    for (const from of froms) expect(from).toMatch(/^FROM node:24-bookworm-slim AS \w+$/);
    const build = dockerfile.join('\n');
    expect(build).toMatch(/RUN npm ci\b/);
    expect(build).toMatch(/npm run build/);
    expect(build).toMatch(/npm prune --omit=dev/);
  });

  it('the runtime stage copies what the CLI needs from the build stage', () => {
    const buildStage = /AS (\w+)$/.exec(froms[0])![1];
    const copied = runtime
      .filter((l) => l.startsWith('COPY '))
      .map((l) => {
        expect(l).toContain(`--from=${buildStage}`);
        return l
          .split(/\s+/)
          .slice(-2)[0]
          .replace(/^\/app\//, '');
      });
    expect(copied.sort()).toEqual(['demo', 'dist', 'node_modules', 'package.json', 'schema']);
  });

  it('runs as a user that is not root, in production mode', () => {
    const users = instructions('USER');
    expect(users.length).toBeGreaterThan(0);
    const user = users[users.length - 1].split(/\s+/)[1];
    expect(user.split(':')[0]).not.toMatch(/^(root|0)$/);
    expect(runtime).toContain(users[users.length - 1]);
    expect(runtime.some((l) => /^ENV NODE_ENV=production\b/.test(l))).toBe(true);
  });

  it('the ENTRYPOINT runs the CLI that the build makes, and the default command is a real one', async () => {
    const entrypoint = JSON.parse(instructions('ENTRYPOINT')[0].slice('ENTRYPOINT '.length)) as string[];
    expect(entrypoint[0]).toBe('node');
    expect(entrypoint[1]).toMatch(/^dist\//);
    expect(existsSync(join(ROOT, entrypoint[1]))).toBe(true);
    expect(runtime.some((l) => /^WORKDIR \/app$/.test(l))).toBe(true);
    const cmd = JSON.parse(instructions('CMD')[0].slice('CMD '.length)) as string[];
    expect(cmd).toEqual(['gateway', 'start']);
    const run = await cli([...cmd, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: infrared gateway start');
  });

  it('has a HEALTHCHECK that GETs /health with node on $PORT', () => {
    const healthcheck = instructions('HEALTHCHECK');
    expect(healthcheck).toHaveLength(1);
    expect(healthcheck[0]).toMatch(/CMD \["node", "-e", /);
    expect(healthcheck[0]).toContain("'http://127.0.0.1:'+(process.env.PORT||4000)+'/health'");
    expect(healthcheck[0]).not.toMatch(/curl|wget/);
  });

  it('.dockerignore keeps build output, local data and git out of the context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.infrared', 'test-artifacts', 'bench-results', '.git']));
    expect(ignored).not.toContain('package-lock.json');
  });
});
