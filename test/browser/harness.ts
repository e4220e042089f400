/**
 * What the browser suites share: the demo network behind a gateway that serves the built UI,
 * Debian's chromium, and a watch on every request and Content-Security-Policy violation (both
 * must stay on the gateway's own origin). Screenshots go to test-artifacts/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startDemoNetwork, type DemoNetwork, type DemoOptions } from '../../scripts/demo/demo-network';
import { defaultWebRoot } from '../../gateway/src/web/static-site';
import { databaseUrl, quietLogger, uniqueSchema } from '../support/network';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = resolve(__dirname, '../../test-artifacts');
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/**
 * The demo puts its members on consecutive fixed ports: pick a random block, and another if one is
 * taken. `env` is gateway configuration for this demo only (set while it starts, then restored);
 * `demo.provenMembers` run with the `proven` caller policy.
 */
export async function startDemo(stateDir: string, env: Record<string, string> = {}, demo: Pick<DemoOptions, 'provenMembers'> = {}): Promise<DemoNetwork> {
  // no response cache: a refresh right after a member stops must ask the members again
  const settings: Record<string, string> = { INFRARED_RESPONSE_CACHE_TTL_S: '0', ...env };
  for (let attempt = 1; ; attempt++) {
    const memberBasePort = 20_000 + Math.floor(Math.random() * 20_000);
    const saved = Object.fromEntries(Object.keys(settings).map((k) => [k, process.env[k]]));
    Object.assign(process.env, settings);
    try {
      // the gateway just below the members: a fixed port, so the registry lists its /graphql (proofs name it)
      const gatewayPort = memberBasePort - 1;
      return await startDemoNetwork({
        stateDir,
        dataDir: resolve(__dirname, '../../demo'),
        gatewayPort,
        memberBasePort,
        databaseUrl: databaseUrl(),
        log: () => undefined,
        logger: quietLogger(),
        // schemas of its own: browser suites run in parallel on one database
        schemaPrefix: uniqueSchema(''),
        ...demo,
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 5) throw err;
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  }
}

export function assertBrowserPrerequisites(): void {
  if (!existsSync(join(defaultWebRoot(), 'index.html'))) throw new Error(`no web bundle in ${defaultWebRoot()}: run \`npm run build\` first`);
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  mkdirSync(ARTIFACTS, { recursive: true });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A browser context that records every request, failed request and CSP violation. */
export interface WatchedContext {
  context: BrowserContext;
  page: Page;
  requests: string[];
  failures: string[];
  /** Requests that left `origin`, CSP violations, failures: all must be empty after each step. */
  problems(origin: string): Promise<{ foreign: string[]; violations: string[]; failures: string[] }>;
}

export async function watchedContext(browser: Browser, opts: { viewport?: { width: number; height: number } } = {}): Promise<WatchedContext> {
  const requests: string[] = [];
  const failures: string[] = [];
  // a fresh profile: a new context has its own storage, cache and cookies
  const context = await browser.newContext({ viewport: opts.viewport ?? DESKTOP, locale: 'en-GB', serviceWorkers: 'block' });
  context.on('request', (r) => requests.push(r.url()));
  // leaving a page aborts what it still had in flight (Monaco's workers): not a failure
  context.on('requestfailed', (r) => r.failure()?.errorText !== 'net::ERR_ABORTED' && failures.push(`${r.url()}: ${r.failure()?.errorText}`));
  context.on('response', (r) => r.status() >= 400 && failures.push(`${r.url()}: HTTP ${r.status()}`));
  await context.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  return {
    context,
    page,
    requests,
    failures,
    async problems(origin: string) {
      const foreign = requests.filter((url) => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url));
      const violations = !page.isClosed() ? await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations) : [];
      return { foreign, violations, failures: [...failures] };
    },
  };
}

/** A browser suite against the demo network: filled in by the suite's first `beforeAll`. */
export interface DemoInBrowser {
  stateDir: string;
  demo: DemoNetwork;
  /** The gateway's origin, where the UI is served and every request must stay. */
  origin: string;
  browser: Browser;
  watched: WatchedContext;
  page: Page;
  /** POSTs a query to the gateway (as `token`'s holder when given) and returns its data; GraphQL errors fail the test. */
  gateway<T>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T>;
}

/**
 * Registers a browser suite's lifecycle, so that each suite holds only its own steps: the demo
 * network (with gateway settings `env`) and chromium started together, a watched context, after
 * every test the check that no request left the origin, nothing failed and the CSP blocked
 * nothing, and the teardown. Register it before the suite's own `beforeAll`, which then runs
 * after it.
 *
 * @example
 * const ui = demoInBrowser('web-live');
 * it('shows the overview', async () => { await ui.page.goto(`${ui.origin}/`); });
 */
export function demoInBrowser(name: string, opts: { env?: Record<string, string>; demo?: Pick<DemoOptions, 'provenMembers'> } = {}): DemoInBrowser {
  const suite = {
    stateDir: mkdtempSync(join(tmpdir(), `infrared-${name}-`)),
    async gateway<T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
      const res = await fetch(suite.demo.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data: T; errors?: unknown[] };
      expect(body.errors).toBeUndefined();
      return body.data;
    },
  } as DemoInBrowser;

  beforeAll(async () => {
    assertBrowserPrerequisites();
    [suite.demo, suite.browser] = await Promise.all([startDemo(suite.stateDir, opts.env, opts.demo), launchChromium()]);
    suite.origin = new URL(suite.demo.gateway.url).origin;
    suite.watched = await watchedContext(suite.browser);
    suite.page = suite.watched.page;
  }, 120_000);

  afterEach(async () => {
    // after every step: nothing left this origin, the CSP had nothing to block, nothing failed
    expect(await suite.watched.problems(suite.origin)).toEqual({ foreign: [], violations: [], failures: [] });
  });

  afterAll(async () => {
    await suite.watched?.context.close();
    await suite.browser?.close();
    // the demo's schemas (t<hex>_<member>) are dropped by the global teardown, once no test file runs
    await suite.demo?.stop();
    rmSync(suite.stateDir, { recursive: true, force: true });
  });
  return suite;
}
