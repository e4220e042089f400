/**
 * The gateway's static handler for the web UI, over real HTTP: content types, caching, the
 * security headers, the page shown when the bundle is missing, and path traversal. Also scans the
 * real bundle (dist/web, built by `npm run build`) for anything that would load from another host.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { startHttpServer, type RunningServer } from '../../common/http/server';
import { contentSecurityPolicy, createWebSite, defaultWebRoot, resolveInside } from '../../gateway/src/web/static-site';
import { quietLogger } from '../support/network';

const SECRET = 'TOP SECRET: outside the web root';
const APP_JS = 'console.log("app");'.repeat(100);

/** A raw GET, so the path reaches the server exactly as written (fetch would normalize `..`). */
function rawGet(base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function serve(root: string): Promise<RunningServer> {
  const web = createWebSite({ root });
  return startHttpServer({
    routes: {
      '/explorer': web.explorer,
      '/graphql': (_req, res) => {
        res.end('graphql');
      },
    },
    fallback: web.fallback,
    logger: quietLogger(),
  });
}

describe('web UI static handler', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infrared-web-'));
  const root = join(dir, 'web');
  let server: RunningServer;

  beforeAll(async () => {
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>dashboard</title>');
    writeFileSync(join(root, 'explorer.html'), '<!doctype html><title>explorer</title>');
    writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(root, 'assets', 'index-Dk1RKl51.js'), APP_JS);
    writeFileSync(join(root, 'assets', 'index-Dk1RKl51.js.br'), brotliCompressSync(APP_JS));
    writeFileSync(join(root, 'assets', 'index-Dk1RKl51.js.gz'), gzipSync(APP_JS));
    writeFileSync(join(root, 'assets', 'codicon-DCmgc-ay.ttf'), 'font');
    writeFileSync(join(root, '.env'), SECRET);
    writeFileSync(join(dir, 'secret.txt'), SECRET);
    writeFileSync(join(dir, 'web-secret.txt'), SECRET);
    symlinkSync(dir, join(root, 'escape'));
    server = await serve(root);
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the dashboard at / with a strict CSP and the privacy headers', async () => {
    const res = await rawGet(server.url, '/');
    expect(res.status).toBe(200);
    expect(res.body.toString()).toContain('<title>dashboard</title>');
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-frame-options']).toBe('DENY');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toBe(contentSecurityPolicy('dashboard'));
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/https?:|\*/);
  });

  it('serves the explorer at /explorer; only its policy allows inline styles (GraphiQL)', async () => {
    const res = await rawGet(server.url, '/explorer');
    expect(res.status).toBe(200);
    expect(res.body.toString()).toContain('<title>explorer</title>');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toBe(contentSecurityPolicy('explorer'));
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/https?:|\*/);
  });

  it('caches hashed assets for a year, with their content type and precompressed bodies', async () => {
    const plain = await rawGet(server.url, '/assets/index-Dk1RKl51.js');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(APP_JS);
    expect(plain.headers['x-content-type-options']).toBe('nosniff');

    const br = await rawGet(server.url, '/assets/index-Dk1RKl51.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(Number(br.headers['content-length'])).toBeLessThan(APP_JS.length);
    const gz = await rawGet(server.url, '/assets/index-Dk1RKl51.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');

    expect((await rawGet(server.url, '/assets/codicon-DCmgc-ay.ttf')).headers['content-type']).toBe('font/ttf');
    const icon = await rawGet(server.url, '/favicon.svg');
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('answers conditional requests with 304, HEAD without a body, and refuses other methods', async () => {
    const first = await rawGet(server.url, '/assets/index-Dk1RKl51.js');
    const again = await rawGet(server.url, '/assets/index-Dk1RKl51.js', { 'if-none-match': String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    const head = await rawGet(server.url, '/', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    expect(head.body.length).toBe(0);
    const post = await rawGet(server.url, '/', {}, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('never serves a file outside the web root, hidden files or symlinks out of it', async () => {
    const attempts = [
      '/../secret.txt',
      '/../../../../etc/passwd',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%5csecret.txt',
      '/%5c..%5csecret.txt',
      '/..\\secret.txt',
      '/.env',
      '/%2eenv',
      '/assets/../.env',
      '/escape/secret.txt',
      '/escape/web-secret.txt',
      '/index.html%00.js',
      '/%00',
      '/%E0%A4%A',
      '/%',
      '//etc/passwd',
      '/../web-secret.txt',
      '/..%252fsecret.txt',
    ];
    for (const path of attempts) {
      const res = await rawGet(server.url, path);
      expect({ path, leaked: res.body.toString().includes(SECRET) || res.body.toString().includes('root:') }).toEqual({ path, leaked: false });
      expect({ path, status: [400, 404].includes(res.status) }).toEqual({ path, status: true });
    }
    // the unit below the handler
    const real = join(dir, 'web');
    expect(resolveInside(real, '/assets/index-Dk1RKl51.js')).toBe(join(real, 'assets', 'index-Dk1RKl51.js'));
    expect(resolveInside(real, '/a/../../secret.txt')).toBeUndefined();
    expect(resolveInside(real, '/%2e%2e%2fsecret.txt')).toBeUndefined();
    expect(resolveInside(real, '/')).toBeUndefined();
  });

  it('answers unknown paths with a 404 that is neither HTML nor JSON from GraphQL', async () => {
    const res = await rawGet(server.url, '/no-such-page');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'");
  });

  it('says how to build the UI when the bundle is missing', async () => {
    const empty = await serve(join(dir, 'not-built'));
    try {
      for (const path of ['/', '/explorer']) {
        const res = await rawGet(empty.url, path);
        expect(res.status).toBe(503);
        expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(res.body.toString()).toContain('npm run build');
      }
      expect((await rawGet(empty.url, '/assets/x-12345678.js')).status).toBe(404);
    } finally {
      await empty.close();
    }
  });
});

describe('the built web bundle (dist/web)', () => {
  const root = defaultWebRoot();
  const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));

  it('exists, with both pages and only relative, same-origin references in them', () => {
    for (const page of ['index.html', 'explorer.html']) {
      const html = readFileSync(join(root, page), 'utf8');
      const refs = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      expect(refs.length).toBeGreaterThan(1);
      for (const ref of refs) expect(ref).toMatch(/^\.?\/(?!\/)/);
    }
  });

  it('loads nothing from another host: no external script, style, font, worker or import URL', () => {
    const text = files(root).filter((f) => /\.(html|js|css)$/.test(f));
    expect(text.length).toBeGreaterThan(3);
    // a URL in a position where the browser would fetch it
    const loading = [
      /\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\/[^"'\s>]+/gi,
      /url\(\s*["']?(?:https?:)?\/\/[^)]+\)/gi,
      /@import\s+(?:url\()?\s*["']?(?:https?:)?\/\//gi,
      /\bimport\s*\(\s*["'`](?:https?:)?\/\//g,
      /\bfrom\s*["'](?:https?:)?\/\//g,
      /\bimportScripts\s*\(\s*["'`](?:https?:)?\/\//g,
      /new\s+(?:Shared)?Worker\s*\(\s*["'`](?:https?:)?\/\//g,
    ];
    // hosts that serve packages, fonts or analytics: none may even be named in the bundle
    const cdn =
      /\b(?:esm\.sh|cdn\.jsdelivr\.net|jsdelivr\.com|unpkg\.com|cdnjs\.cloudflare\.com|fonts\.googleapis\.com|fonts\.gstatic\.com|google-analytics\.com|googletagmanager\.com|sentry\.io|segment\.io|plausible\.io)\b/i;
    const found: string[] = [];
    for (const file of text) {
      const body = readFileSync(file, 'utf8');
      for (const pattern of loading) for (const m of body.matchAll(pattern)) found.push(`${file}: ${m[0].slice(0, 120)}`);
      const named = cdn.exec(body);
      if (named) found.push(`${file}: names ${named[0]}`);
    }
    expect(found).toEqual([]);
  });

  it('bundles Monaco’s workers and fonts as files of this origin', () => {
    const assets = readdirSync(join(root, 'assets'));
    for (const worker of ['editor.worker', 'json.worker', 'graphql.worker']) expect(assets.some((a) => a.startsWith(worker) && a.endsWith('.js'))).toBe(true);
    expect(assets.some((a) => a.startsWith('codicon') && a.endsWith('.ttf'))).toBe(true);
  });
});
