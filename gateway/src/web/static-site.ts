import { createReadStream, existsSync, promises as fs, type Stats } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import type { RouteHandler } from '../../../common/http/server';

/**
 * Serves the web dashboard and the GraphQL explorer (the Vite bundle in dist/web) from the
 * gateway's own origin. Nothing is loaded from anywhere else: the Content-Security-Policy allows
 * this origin only, so a compromised or careless dependency cannot phone home either.
 */
export interface WebSiteOptions {
  /** The bundle directory; defaults to $INFRARED_WEB_DIR, else <repository>/dist/web. */
  root?: string;
}

export interface WebSite {
  /** `/` and the assets: mounted as the server's fallback. */
  fallback: RouteHandler;
  /** `/explorer`: the GraphiQL page. */
  explorer: RouteHandler;
  root: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The strictest policy each page works with: this origin only. The explorer (GraphiQL, Monaco)
 * also needs inline styles and the fonts its stylesheet embeds as data: URLs; the dashboard needs
 * neither.
 */
export function contentSecurityPolicy(page: 'dashboard' | 'explorer'): string {
  const explorer = page === 'explorer';
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self'${explorer ? " 'unsafe-inline'" : ''}`,
    "img-src 'self' data:",
    `font-src 'self'${explorer ? ' data:' : ''}`,
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=(), browsing-topics=()',
};

const ENCODINGS = [
  ['br', '.br', /\bbr\b/],
  ['gzip', '.gz', /\bgzip\b/],
] as const;

/** Vite names bundled files `name-<hash>.ext` under assets/: they never change, so they cache for a year. */
const HASHED = /^assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

/** The repository root: the nearest directory above this file with a package.json (source or dist). */
function repositoryRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'gateway'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

export function defaultWebRoot(): string {
  return resolve(process.env.INFRARED_WEB_DIR || join(repositoryRoot(), 'dist', 'web'));
}

/**
 * Maps a URL path to a file under `root`, or undefined when it is not a plain path inside it:
 * undecodable escapes, NUL bytes, backslashes, dot segments (`..`, and hidden files) are refused
 * before the file system is touched.
 */
export function resolveInside(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s.startsWith('.'))) return undefined;
  const file = resolve(root, ...segments);
  return file.startsWith(root + sep) ? file : undefined;
}

function sendText(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}, head = false): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-security-policy': "default-src 'none'",
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(head ? undefined : body);
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>InfraRed: web UI not built</title></head>
<body><main><h1>The web dashboard is not built</h1>
<p>Run <code>npm run build</code> (it builds the gateway and the web UI into <code>dist/web</code>), then reload this page.</p>
<p>The GraphQL endpoint works without it: <code>POST /graphql</code>.</p></main></body></html>
`;

export function createWebSite(opts: WebSiteOptions = {}): WebSite {
  const root = resolve(opts.root ?? defaultWebRoot());

  async function serveFile(req: IncomingMessage, res: ServerResponse, file: string, relative: string): Promise<void> {
    const head = req.method === 'HEAD';
    let stat: Stats;
    try {
      // the real path too: a symlink inside the bundle must not lead outside it
      const real = await fs.realpath(file);
      if (!real.startsWith(root + sep)) throw new Error('outside');
      stat = await fs.stat(real);
      if (!stat.isFile()) throw new Error('not a file');
    } catch {
      if (relative.endsWith('.html') && !existsSync(join(root, 'index.html'))) {
        return sendText(res, 503, 'text/html; charset=utf-8', NOT_BUILT, { 'content-security-policy': contentSecurityPolicy('dashboard') }, head);
      }
      return sendText(res, 404, 'text/plain; charset=utf-8', 'Not found\n', {}, head);
    }
    const ext = extname(file).toLowerCase();
    const type = CONTENT_TYPES[ext] ?? 'application/octet-stream';
    const etag = `"${stat.size.toString(36)}-${Math.floor(stat.mtimeMs).toString(36)}"`;
    const headers: Record<string, string | number> = {
      ...SECURITY_HEADERS,
      'content-type': type,
      'cache-control': HASHED.test(relative) ? 'public, max-age=31536000, immutable' : 'no-cache',
      etag,
    };
    if (ext === '.html') headers['content-security-policy'] = contentSecurityPolicy(relative === 'explorer.html' ? 'explorer' : 'dashboard');
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      return void res.end();
    }
    // precompressed copies written by the build (web/vite.config.ts), when the browser takes them
    const accepted = String(req.headers['accept-encoding'] ?? '');
    let body = file;
    let length = stat.size;
    for (const [encoding, suffix, offered] of ENCODINGS) {
      if (!offered.test(accepted)) continue;
      const packed = await fs.stat(file + suffix).catch(() => undefined);
      if (packed?.isFile()) {
        body = file + suffix;
        length = packed.size;
        headers['content-encoding'] = encoding;
        break;
      }
    }
    headers.vary = 'Accept-Encoding';
    headers['content-length'] = length;
    res.writeHead(200, headers);
    if (head) return void res.end();
    await new Promise<void>((done, fail) => {
      const stream = createReadStream(body);
      stream.once('error', fail);
      res.once('close', () => {
        stream.destroy();
        done();
      });
      stream.pipe(res);
    });
  }

  function handler(page?: string): RouteHandler {
    return async (req, res) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return sendText(res, 405, 'text/plain; charset=utf-8', 'Method not allowed\n', { allow: 'GET, HEAD' });
      }
      const path = (req.url ?? '/').split('?')[0].split('#')[0];
      if (page) return serveFile(req, res, join(root, page), page);
      const relativePath = path === '/' ? '/index.html' : path;
      const file = resolveInside(root, relativePath);
      if (!file) return sendText(res, 400, 'text/plain; charset=utf-8', 'Bad path\n', {}, req.method === 'HEAD');
      return serveFile(req, res, file, relativePath.slice(1));
    };
  }

  return { fallback: handler(), explorer: handler('explorer.html'), root };
}
