/**
 * Issue 19, the browser: the dashboard and the explorer make a non-extractable P-256 caller key
 * with WebCrypto, keep it in IndexedDB, show its public JWK, and sign a proof for every request
 * made with a token bound to it. Real chromium against the demo network with kafshata running the
 * `proven` caller policy (the other members take the gateway's word), so what a token reads from
 * kafshata depends on whether the browser proves it holds the key.
 */
import { join } from 'node:path';
import type { Page, Request } from 'playwright-core';
import { readCallerPublicKey } from '../../common/auth/caller-key-file';
import { callerKeyThumbprint } from '../../common/auth/caller-proof';
import { issueCallerToken } from '../../common/auth/caller-token';
import { readPrivateJwk } from '../../common/auth/keys';
import { demoInBrowser, watchedContext } from './harness';

/** kafshata's NETWORK service: only for callers kafshata itself sees proven. */
const PROVEN_NETWORK_SERVICE = 'Incident response mailing list';
/** nodo-sur's NETWORK service: nodo-sur takes the gateway's word, so any member token sees it. */
const ASSERTED_NETWORK_SERVICE = 'WireGuard VPN for network sysadmins';

jest.setTimeout(60_000);

describe('caller key in the browser', () => {
  const ui = demoInBrowser('caller-key', { demo: { provenMembers: ['kafshata'] } });
  /** The /graphql requests of the main page, as sent. */
  const graphql: Request[] = [];
  let thumbprint: string;
  let jwkText: string;
  let boundToken: string;

  beforeAll(async () => {
    ui.page.on('request', (r) => r.url() === `${ui.origin}/graphql` && graphql.push(r));
    await ui.watched.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ui.origin });
  }, 120_000);

  /** The Token page once the key panel is filled in. */
  const tokenPage = async (p: Page = ui.page) => {
    await p.goto(`${ui.origin}/#/token`);
    await p.locator('main[aria-busy="false"]').waitFor();
    await p.locator('#caller-key[aria-busy="false"]').waitFor();
    return (await p.locator('#caller-key').getAttribute('data-thumbprint'))!;
  };
  const useToken = async (token: string, p: Page = ui.page) => {
    await p.getByLabel('Caller token (JWT)').fill(token);
    await p.getByRole('button', { name: 'Use this token' }).click();
    await p.locator('.token-form .notice').waitFor();
    return p.locator('.token-form .notice');
  };
  const servicesShown = async () => {
    await ui.page.evaluate(() => (location.hash = '#/services?per=48'));
    await ui.page.locator('.view-services').waitFor();
    await ui.page.locator('main[aria-busy="false"]').waitFor();
    // the catalogue comes a page at a time: every page, so the whole list is compared
    await ui.page.locator('#service-results[aria-busy="false"]').waitFor();
    const more = ui.page.getByRole('button', { name: 'Show more services' });
    while (await more.isVisible()) {
      await more.click();
      await ui.page.locator('#service-results[aria-busy="false"]').waitFor();
    }
    return ui.page.locator('.view-services article.service h2').allTextContents();
  };
  /** The kafshata key issues a token the way `infrared token --bind <jwk>` does. */
  const issue = async (bindTo?: string) =>
    issueCallerToken({
      key: readPrivateJwk(join(ui.stateDir, 'keys', 'kafshata.jwk.json')),
      member: 'kafshata',
      subject: 'ana',
      scopes: ['read'],
      audience: 'infrared',
      ttlSeconds: 3600,
      boundTo: bindTo === undefined ? undefined : (await readCallerPublicKey(bindTo)).thumbprint,
    });

  it('makes a non-extractable P-256 key on first visit and shows its public JWK and thumbprint', async () => {
    thumbprint = await tokenPage();
    jwkText = (await ui.page.locator('#caller-jwk').textContent())!;
    const jwk = JSON.parse(jwkText) as Record<string, string>;
    expect(Object.keys(jwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256' });
    await expect(callerKeyThumbprint(jwk)).resolves.toBe(thumbprint);
    await expect(ui.page.locator('#caller-thumbprint').textContent()).resolves.toBe(thumbprint);
    // the private key in IndexedDB signs, and nothing can read it out
    const stored = await ui.page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('infrared');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const entry = await new Promise<{ privateKey: CryptoKey }>((resolve, reject) => {
        const get = db.transaction('caller-key').objectStore('caller-key').get('default');
        get.onsuccess = () => resolve(get.result);
        get.onerror = () => reject(get.error);
      });
      db.close();
      const key = entry.privateKey;
      const attempt = (format: 'jwk' | 'pkcs8') =>
        crypto.subtle.exportKey(format, key).then(
          () => 'exported',
          (e: Error) => `rejected: ${e.name}`,
        );
      const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, new TextEncoder().encode('x'));
      return {
        type: key.type,
        extractable: key.extractable,
        algorithm: key.algorithm as EcKeyAlgorithm,
        usages: key.usages,
        jwk: await attempt('jwk'),
        pkcs8: await attempt('pkcs8'),
        signatureBytes: signature.byteLength,
        local: localStorage.length,
      };
    });
    expect(stored).toEqual({
      type: 'private',
      extractable: false,
      algorithm: { name: 'ECDSA', namedCurve: 'P-256' },
      usages: ['sign'],
      jwk: 'rejected: InvalidAccessError',
      pkcs8: 'rejected: InvalidAccessError',
      signatureBytes: 64,
      local: 0,
    });
    // the copy button puts the public JWK (only) on the clipboard
    await ui.page.getByRole('button', { name: 'Copy the public key' }).click();
    await ui.page.locator('#caller-key-status', { hasText: 'Copied.' }).waitFor();
    await expect(ui.page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(jwkText);
  });

  it('keeps the same key across reloads; another browser profile has its own', async () => {
    await ui.page.reload();
    await expect(tokenPage()).resolves.toBe(thumbprint);
    await expect(ui.page.locator('#caller-jwk').textContent()).resolves.toBe(jwkText);
    const other = await ui.browser.newContext();
    try {
      const otherThumbprint = await tokenPage(await other.newPage());
      expect(otherThumbprint).toMatch(/^[\w-]{43}$/);
      expect(otherThumbprint).not.toBe(thumbprint);
    } finally {
      await other.close();
    }
  });

  it('an unbound token is sent as a Bearer token and reads only PUBLIC data from the proven member', async () => {
    await tokenPage();
    const unbound = await issue();
    graphql.length = 0;
    await expect((await useToken(unbound)).getAttribute('class')).resolves.toContain('notice-good');
    await expect(ui.page.locator('#caller-key-status').textContent()).resolves.toBe('');
    const shown = await servicesShown();
    expect(shown).toContain(ASSERTED_NETWORK_SERVICE);
    expect(shown).not.toContain(PROVEN_NETWORK_SERVICE);
    expect(shown).toContain('Kafshata Mail'); // kafshata's PUBLIC services still show
    expect(graphql.length).toBeGreaterThan(0);
    for (const r of graphql) {
      expect(r.headers().authorization).toBe(`Bearer ${unbound}`);
      expect(r.headers().dpop).toBeUndefined();
    }
  });

  it("a token bound to this browser's key is signed per request and reads the proven member's NETWORK data", async () => {
    await tokenPage();
    boundToken = await issue(jwkText);
    graphql.length = 0;
    await expect((await useToken(boundToken)).getAttribute('class')).resolves.toContain('notice-good');
    await ui.page.locator('#caller-key[data-binding="this-key"]').waitFor();
    await expect(ui.page.locator('#identity-badge [data-identity]').textContent()).resolves.toBe('Kafshata Kolektiv · ana');
    const shown = await servicesShown();
    expect(shown).toContain(PROVEN_NETWORK_SERVICE);
    expect(shown).toContain(ASSERTED_NETWORK_SERVICE);
    // the member page of the proven member too
    await ui.page.evaluate(() => (location.hash = '#/members/kafshata'));
    await ui.page.locator('[data-service="kafshata:incident-list"]').waitFor();
    expect(graphql.length).toBeGreaterThan(1);
    const proofs = graphql.map((r) => r.headers().dpop);
    for (const r of graphql) expect(r.headers().authorization).toBe(`DPoP ${boundToken}`);
    for (const proof of proofs) expect(proof).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(new Set(proofs).size).toBe(proofs.length); // a fresh proof for each request
    // the token stays in this tab's sessionStorage only
    await expect(ui.page.evaluate(() => ({ session: sessionStorage.getItem('infrared.token'), local: localStorage.length }))).resolves.toEqual({ session: boundToken, local: 0 });
  });

  it('a proof the browser sent is refused when replayed, or with another body', async () => {
    const sent = graphql.find((r) => (r.postData() ?? '').includes('services'))!;
    const { authorization, dpop } = sent.headers();
    const post = (body: string) => fetch(`${ui.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization, dpop }, body });
    expect((await post(sent.postData()!)).status).toBe(401);
    expect((await post(JSON.stringify({ query: '{ services { id name } }' }))).status).toBe(401);
  });

  it('the explorer signs its requests with the bound token', async () => {
    await ui.page.goto(`${ui.origin}/explorer`);
    await ui.page.locator('.graphiql-container').waitFor();
    await ui.page.locator('.graphiql-query-editor .monaco-editor').waitFor();
    const response = ui.page.waitForResponse((r) => r.url() === `${ui.origin}/graphql` && (r.request().postData() ?? '').includes('viewer'));
    await ui.page.locator('.graphiql-execute-button').click();
    const answer = await response;
    expect(answer.request().headers().authorization).toBe(`DPoP ${boundToken}`);
    expect(answer.request().headers().dpop).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const body = (await answer.json()) as { data: { viewer: { subject: string }; services: { name: string }[] } };
    expect(body.data.viewer.subject).toBe('ana');
    expect(body.data.services.map((s) => s.name)).toContain(PROVEN_NETWORK_SERVICE);
  });

  it('a bound token taken to another browser (another key) is refused there, and not stored', async () => {
    const other = await watchedContext(ui.browser);
    try {
      await tokenPage(other.page);
      const notice = await useToken(boundToken, other.page);
      await expect(notice.getAttribute('class')).resolves.toContain('notice-bad');
      await expect(notice.textContent()).resolves.toBe('The gateway refused this token: it was not stored.');
      await expect(other.page.evaluate(() => sessionStorage.getItem('infrared.token'))).resolves.toBeNull();
      await expect(other.page.locator('#identity-badge [data-identity]').textContent()).resolves.toBe('Anonymous');
      // the one refusal: the token went without a proof of this (other) browser's key
      const problems = await other.problems(ui.origin);
      expect(problems).toEqual({ foreign: [], violations: [], failures: [`${ui.origin}/graphql: HTTP 401`] });
    } finally {
      await other.context.close();
    }
  });
});
