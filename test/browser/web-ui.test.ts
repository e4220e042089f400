/**
 * The dashboard and the explorer in a real browser (Debian's chromium, driven by playwright-core)
 * against the demo network: four member subgraphs with the demo data, behind the gateway that
 * serves the built UI (dist/web, from `npm run build`).
 *
 * Every request the browser makes is recorded, and so is every Content-Security-Policy violation
 * (a request the policy blocked never reaches the network): both must stay on the gateway's own
 * origin. Screenshots of each view, at desktop and phone sizes, go to test-artifacts/.
 */
import { join } from 'node:path';
import { ARTIFACTS, demoInBrowser, DESKTOP, PHONE } from './harness';

const NETWORK_SERVICE = 'Incident response mailing list';

jest.setTimeout(60_000);

describe('web dashboard and explorer in a browser', () => {
  const ui = demoInBrowser('web-ui');

  const shot = async (name: string, size = DESKTOP) => {
    await ui.page.setViewportSize(size);
    await ui.page.screenshot({ path: join(ARTIFACTS, `${name}-${size === PHONE ? 'phone' : 'desktop'}.png`), fullPage: true });
  };
  /** Both sizes, back at desktop size afterwards. */
  const shots = async (name: string) => {
    await shot(name, PHONE);
    await shot(name, DESKTOP);
  };
  const goto = async (hash: string) => {
    await ui.page.evaluate((h) => (location.hash = h), hash);
    await ui.page.locator('main h1').first().waitFor();
  };
  const loaded = () => ui.page.locator('main[aria-busy="false"]').waitFor();
  /** The catalogue asks for its page after each change of filter: wait for that answer. */
  const catalogue = () => ui.page.locator('#service-results[aria-busy="false"]').waitFor();

  it('shows the network overview: members, services by kind, capacity bars and member health', async () => {
    await ui.page.goto(`${ui.origin}/`);
    await loaded();
    await expect(ui.page.locator('main h1').textContent()).resolves.toBe('InfraRed');
    await expect(ui.page.locator('#identity-badge [data-identity]').textContent()).resolves.toBe('Anonymous');
    const health = ui.page.locator('table', { has: ui.page.locator('caption', { hasText: 'Member health' }) });
    for (const name of ['Kafshata Kolektiv', 'Nodo Sur Cooperativa', 'Ironweed Tech Co-op', 'Xarxa Ciberfeminista']) {
      await expect(health.locator('tbody th', { hasText: name }).count()).resolves.toBe(1);
      // the gateway's health state: answers, database ready, accepts the gateway's assertions
      await expect(
        health
          .locator('tbody tr', { has: ui.page.locator('th', { hasText: name }) })
          .locator('.badge')
          .first()
          .textContent(),
      ).resolves.toBe('ok');
    }
    await expect(ui.page.locator('.kind-bars li[data-kind="EMAIL"] .kind-count').textContent()).resolves.toMatch(/^\d+$/);
    // capacity: a bar per resource, numbers where visible, "hidden" (not 0) where not
    const bars = ui.page.locator('.capacity');
    expect(await bars.count()).toBeGreaterThanOrEqual(3);
    const storage = ui.page.locator('.capacity[data-resource="STORAGE_GB"]');
    await expect(storage.locator('svg rect.bar-used').count()).resolves.toBe(1);
    expect(Number((await storage.locator('[data-value="total"]').textContent())!.replace(/\D/g, ''))).toBeGreaterThan(0);
    await expect(ui.page.locator('.capacity[data-resource="ACCOUNTS"]').textContent()).resolves.toContain('hidden');
    // keyboard: the first Tab stop is the skip link, and it moves focus to the main content
    await ui.page.keyboard.press('Tab');
    await expect(ui.page.evaluate(() => document.activeElement?.className)).resolves.toBe('skip-link');
    await ui.page.keyboard.press('Enter');
    await expect(ui.page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
    await shots('overview');
  });

  it('lists members, and a member page has its services, capacity and projects', async () => {
    await goto('#/members');
    await expect(ui.page.locator('table tbody tr').count()).resolves.toBe(4);
    await ui.page.getByRole('link', { name: 'Kafshata Kolektiv' }).first().click();
    await ui.page.locator('[data-member="kafshata"]').waitFor();
    await expect(ui.page.locator('main h1').textContent()).resolves.toBe('Kafshata Kolektiv');
    await expect(ui.page.locator('[data-service="kafshata:mail"] h3').textContent()).resolves.toBe('Kafshata Mail');
    await expect(ui.page.locator('[data-service="kafshata:incident-list"]').count()).resolves.toBe(0);
    await expect(ui.page.locator('[data-project="kafshata:safety-clinics"]').count()).resolves.toBe(1);
    await expect(ui.page.locator('.capacity[data-resource="STORAGE_GB"] [data-value="used"]').textContent()).resolves.toBe('3,900');
    await shots('member');
    await goto('#/members');
    await shots('members');
  });

  it('filters the service catalogue by kind, region, language, new users and text', async () => {
    await goto('#/services');
    await catalogue();
    const cards = ui.page.locator('.view-services article.service');
    const all = await cards.count();
    expect(all).toBeGreaterThan(8);
    await expect(ui.page.locator('.view-services').textContent()).resolves.not.toContain(NETWORK_SERVICE);
    await ui.page.getByLabel('Kind').selectOption('EMAIL');
    await catalogue();
    await expect(cards.count()).resolves.toBeLessThan(all);
    for (const text of await cards.locator('.badges .badge:first-child').allTextContents()) expect(text).toBe('Email');
    await ui.page.getByLabel('Region').selectOption('Balkans');
    await catalogue();
    await expect(cards.locator('h2').allTextContents()).resolves.toEqual(['Kafshata Mail']);
    await ui.page.getByLabel('Kind').selectOption('');
    await catalogue();
    await ui.page.getByLabel('Only services accepting new users').check();
    await catalogue();
    await expect(cards.locator('h2').allTextContents()).resolves.not.toContain('Feminist web hosting');
    await ui.page.getByLabel('Only services accepting new users').uncheck();
    await catalogue();
    await ui.page.getByLabel('Region').selectOption('');
    await catalogue();
    await ui.page.getByLabel('Languages').selectOption('sq');
    await catalogue();
    for (const id of await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-service')))) expect(id).toMatch(/^(kafshata|ciberfeminista):/);
    await ui.page.getByLabel('Languages').selectOption('');
    await catalogue();
    await ui.page.getByLabel('Search').fill('wireguard');
    await catalogue();
    await expect(cards.count()).resolves.toBe(0); // the sysadmin VPN is NETWORK: anonymous visitors do not see it
    await ui.page.getByLabel('Search').fill('matrix');
    await catalogue();
    await expect(cards.locator('h2').allTextContents()).resolves.toContain('Matrix Sur');
    await ui.page.getByLabel('Search').fill('');
    await catalogue();
    await catalogue();
    // every form control has a label
    const unlabelled = await ui.page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea')].filter((el) => !(el as HTMLInputElement).labels?.length && !el.getAttribute('aria-label')).map((el) => el.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    await shots('services');
  });

  it('shows the projects board by area, with participants', async () => {
    await goto('#/projects');
    const columns = ui.page.locator('.board-column');
    await expect(columns.evaluateAll((els) => els.map((e) => e.getAttribute('data-area')))).resolves.toEqual(['SOLIDARITY', 'MOVEMENT_ENGAGEMENT', 'TECHNOLOGY_PLATFORM', 'SHARED_INFRASTRUCTURE']);
    const clinics = ui.page.locator('[data-project="kafshata:safety-clinics"]');
    await expect(clinics.locator('xpath=ancestor::section[1]').getAttribute('data-area')).resolves.toBe('MOVEMENT_ENGAGEMENT');
    await expect(clinics.locator('dd').first().textContent()).resolves.toBe('Kafshata Kolektiv');
    // each card names the participants the gateway reports for its project (those who confirmed)
    const res = await fetch(ui.demo.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ members { id name } projects { id participants { id } } }' }),
    });
    const { data } = (await res.json()) as { data: { members: { id: string; name: string }[]; projects: { id: string; participants: { id: string }[] }[] } };
    const names = new Map(data.members.map((m) => [m.id, m.name]));
    expect(data.projects.length).toBeGreaterThan(3);
    await expect(ui.page.locator('.board article.project').count()).resolves.toBe(data.projects.length);
    for (const p of data.projects) {
      const shown = await ui.page.locator(`[data-project="${p.id}"] [data-participants] li`).allTextContents();
      expect({ project: p.id, participants: shown.sort() }).toEqual({ project: p.id, participants: p.participants.map((x) => names.get(x.id)).sort() });
    }
    await shots('projects');
  });

  /** The trainings a member page lists, in order, as `data-training` ids. */
  const trainingsShown = () => ui.page.locator('#m-trainings + .cards article.training').evaluateAll((els) => els.map((e) => e.getAttribute('data-training')));
  /** At phone width nothing on the page is wider than the screen. */
  const fitsPhone = async () => {
    await ui.page.setViewportSize(PHONE);
    const widths = await ui.page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
    await ui.page.setViewportSize(DESKTOP);
    return widths.page <= widths.screen;
  };

  it("a member page lists the member's trainings an anonymous visitor may see, at desktop and phone width", async () => {
    await goto('#/members/kafshata');
    await ui.page.locator('#m-trainings').waitFor();
    await expect(ui.page.locator('#m-trainings').textContent()).resolves.toBe('Trainings and mentoring');
    // the NETWORK mentoring is hidden from anonymous visitors: only the PUBLIC clinic
    await expect(trainingsShown()).resolves.toEqual(['kafshata:safety-clinic-tirana-2027-01']);
    const clinic = ui.page.locator('[data-training="kafshata:safety-clinic-tirana-2027-01"]');
    await expect(clinic.locator('h3').textContent()).resolves.toBe('Digital safety clinic in Tirana');
    await expect(clinic.locator('.badges').textContent()).resolves.toContain('In person');
    await expect(clinic.locator('[data-seats]').textContent()).resolves.toBe('12');
    await expect(clinic.locator('[data-when]').textContent()).resolves.toMatch(/2027.*–.*2027/);
    await expect(clinic.textContent()).resolves.toContain('Balkans');
    await expect(clinic.textContent()).resolves.toContain('Half-day clinic for women');
    expect(await fitsPhone()).toBe(true);
    await shots('member-trainings');
    // nodo-sur's MEMBERS workshop (shared with kafshata) is not there for anonymous visitors either
    await goto('#/members/nodo-sur');
    await ui.page.locator('#m-trainings').waitFor();
    await expect(trainingsShown()).resolves.toEqual(['nodo-sur:taller-matrix-2026-12']);
  });

  it('takes a pasted token into sessionStorage only, and shows what that identity may see', async () => {
    await goto('#/token');
    await ui.page.getByLabel('Caller token (JWT)').fill(`Bearer ${ui.demo.tokens.kafshata}`);
    await ui.page.getByRole('button', { name: 'Use this token' }).click();
    await ui.page.locator('.notice-good').waitFor();
    await expect(ui.page.locator('#identity-badge [data-identity]').textContent()).resolves.toBe('Kafshata Kolektiv · demo-kafshata');
    await expect(ui.page.locator('.identity-facts').textContent()).resolves.toContain('demo-kafshata');
    const storage = await ui.page.evaluate(() => ({ session: sessionStorage.getItem('infrared.token'), local: localStorage.length }));
    expect(storage).toEqual({ session: ui.demo.tokens.kafshata, local: 0 });
    const networkCount = await ui.page
      .locator('table', { has: ui.page.locator('caption', { hasText: 'Records by visibility' }) })
      .locator('tbody tr')
      .first()
      .locator('td')
      .nth(1)
      .textContent();
    expect(Number(networkCount)).toBeGreaterThan(0);
    await shots('token');
    await goto('#/services');
    await catalogue();
    await expect(ui.page.locator('.view-services').textContent()).resolves.toContain(NETWORK_SERVICE);
    await ui.page.getByLabel('Search').fill('wireguard');
    await catalogue();
    await expect(ui.page.locator('.view-services article.service h2').allTextContents()).resolves.toEqual(['WireGuard VPN for network sysadmins']);
    await ui.page.getByLabel('Search').fill('');
  });

  it("with kafshata's token, member pages list the trainings it may see, soonest first", async () => {
    await goto('#/members/kafshata');
    await ui.page.locator('#m-trainings').waitFor();
    await expect(trainingsShown()).resolves.toEqual(['kafshata:mail-admin-mentoring', 'kafshata:safety-clinic-tirana-2027-01']);
    await expect(ui.page.locator('[data-training="kafshata:mail-admin-mentoring"] .badges').textContent()).resolves.toContain('Online');
    // the MEMBERS workshop nodo-sur shares with kafshata
    await goto('#/members/nodo-sur');
    await ui.page.locator('#m-trainings').waitFor();
    await expect(trainingsShown()).resolves.toEqual(['nodo-sur:taller-matrix-2026-12', 'nodo-sur:restic-montevideo']);
    await expect(ui.page.locator('[data-training="nodo-sur:restic-montevideo"] .badges').textContent()).resolves.toContain('Shared members');
    expect(await fitsPhone()).toBe(true);
    await shots('member-trainings-token');
  });

  it('pages through the catalogue: every service the gateway lists for this token, once each', async () => {
    const res = await fetch(ui.demo.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ui.demo.tokens.kafshata}` },
      body: JSON.stringify({ query: '{ servicesConnection(first: 100) { totalCount edges { node { id } } } }' }),
    });
    const { data, errors } = (await res.json()) as { data: { servicesConnection: { totalCount: number; edges: { node: { id: string } }[] } }; errors?: unknown[] };
    expect(errors).toBeUndefined();
    const expected = data.servicesConnection.edges.map((e) => e.node.id);
    expect(expected.length).toBe(data.servicesConnection.totalCount);
    expect(expected.length).toBeGreaterThan(12);
    await goto('#/services?per=12');
    await catalogue();
    const cards = ui.page.locator('.view-services article.service');
    await expect(cards.count()).resolves.toBe(12);
    await expect(ui.page.locator('.view-services .result-count').textContent()).resolves.toBe(`Services shown: 12 of ${expected.length}`);
    await expect(ui.page.getByLabel('Per page').inputValue()).resolves.toBe('12');
    // the next page with the keyboard: its first card's heading takes the focus
    const more = ui.page.getByRole('button', { name: 'Show more services' });
    while (await more.isVisible()) {
      const before = await cards.count();
      await more.focus();
      await ui.page.keyboard.press('Enter');
      await catalogue();
      await ui.page.waitForFunction((n) => document.querySelectorAll('.view-services article.service').length > n, before);
      await expect(ui.page.evaluate(() => document.activeElement?.closest('article')?.getAttribute('data-service'))).resolves.toBe(await cards.nth(before).getAttribute('data-service'));
    }
    const shown = await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-service')!));
    expect(shown).toEqual(expected);
    await expect(ui.page.locator('.view-services .result-count').textContent()).resolves.toBe(`Services shown: ${expected.length} of ${expected.length}`);
    await shots('services-pages');
  });

  it('switches the interface and the data text to Albanian and Spanish', async () => {
    await goto('#/members/kafshata');
    await ui.page.getByLabel('Language').selectOption('sq');
    await ui.page.locator('nav a', { hasText: 'Shërbimet' }).waitFor();
    await loaded();
    await expect(ui.page.locator('html').getAttribute('lang')).resolves.toBe('sq');
    await expect(ui.page.locator('[data-service="kafshata:mail"]').textContent()).resolves.toContain('Email i sigurt për aktivistet');
    await expect(ui.page.locator('.lead-text').textContent()).resolves.toContain('Kolektiv feminist nga Tirana');
    // names and lists in Albanian too, even where the browser's Intl has no Albanian data
    await expect(ui.page.locator('.facts-wide').textContent()).resolves.toMatch(/Shqipëri dhe Kosovë.*shqip dhe anglisht/);
    await shot('member-sq');
    await ui.page.getByLabel('Gjuha').selectOption('es');
    await ui.page.locator('nav a', { hasText: 'Servicios' }).waitFor();
    await loaded();
    await expect(ui.page.locator('[data-service="kafshata:mail"]').textContent()).resolves.toContain('Correo seguro para activistas');
    await expect(ui.page.locator('.facts-wide').textContent()).resolves.toContain('Albania y Kosovo');
    await ui.page.getByLabel('Idioma').selectOption('en');
    await ui.page.locator('nav a', { hasText: 'Services' }).waitFor();
    await loaded();
  });

  it('runs GraphiQL, self-hosted, with the token pre-wired in the headers', async () => {
    await ui.page.goto(`${ui.origin}/explorer`);
    await ui.page.locator('.graphiql-container').waitFor();
    await expect(ui.page.locator('#token-note').getAttribute('data-token')).resolves.toBe('set');
    // the Headers editor holds the token from the dashboard's sessionStorage
    const headersEditor = ui.page.locator('section.graphiql-editor-tool[aria-label="Headers"] .graphiql-editor:not(.hidden) .view-lines');
    await headersEditor.getByText('Authorization').waitFor();
    expect((await headersEditor.textContent())?.replace(/\s+/g, '')).toContain(`"Authorization":"Bearer${ui.demo.tokens.kafshata.slice(0, 40)}`);
    // the default query asks for the viewer and the services this identity sees
    await ui.page.locator('.graphiql-query-editor .monaco-editor').waitFor();
    const response = ui.page.waitForResponse((r) => r.url() === `${ui.origin}/graphql` && (r.request().postData() ?? '').includes('viewer'));
    await ui.page.locator('.graphiql-execute-button').click();
    const answer = await response;
    expect(answer.request().headers().authorization).toBe(`Bearer ${ui.demo.tokens.kafshata}`);
    const body = await answer.json();
    expect(body.data.viewer).toEqual({ anonymous: false, member: { name: 'Kafshata Kolektiv' }, subject: 'demo-kafshata', scopes: ['read', 'write'] });
    expect(body.data.services.map((s: { name: string }) => s.name)).toContain(NETWORK_SERVICE);
    await ui.page.locator('.graphiql-response').getByText('demo-kafshata').first().waitFor();
    // GraphiQL keeps its tabs in sessionStorage (nothing in localStorage), and never the token
    const stored = await ui.page.evaluate(() => ({
      local: localStorage.length,
      session: Object.keys(sessionStorage)
        .filter((k) => k !== 'infrared.token')
        .map((k) => sessionStorage.getItem(k) ?? ''),
    }));
    expect(stored.local).toBe(0);
    expect(stored.session.length).toBeGreaterThan(0);
    for (const value of stored.session) expect(value).not.toContain(ui.demo.tokens.kafshata.slice(-30));
    await shots('explorer');
    // workers and fonts came from this origin (the first assertion of afterEach covers every request)
    // (the editor's worker starts on its own schedule: wait for its request rather than assume it came first)
    const workerLoaded = () => ui.watched.requests.some((u) => /\/assets\/graphql\.worker-[\w-]+\.js$/.test(u));
    for (let i = 0; i < 100 && !workerLoaded(); i++) await ui.page.waitForTimeout(100);
    expect(workerLoaded()).toBe(true);
  });

  it('forgets the token on request', async () => {
    await ui.page.goto(`${ui.origin}/#/token`);
    await loaded();
    await ui.page.getByRole('button', { name: 'Forget the token' }).click();
    await ui.page.locator('.notice-info').waitFor();
    await loaded();
    await expect(ui.page.locator('#identity-badge [data-identity]').textContent()).resolves.toBe('Anonymous');
    await expect(ui.page.evaluate(() => sessionStorage.getItem('infrared.token'))).resolves.toBeNull();
  });

  it('names a member that is down and still shows everyone else', async () => {
    const nodoSur = ui.demo.members.find((m) => m.memberId === 'nodo-sur')!;
    await nodoSur.stop();
    await goto('#/');
    await ui.page.locator('#refresh').click();
    const notice = ui.page.locator('[data-unavailable="nodo-sur"]');
    await notice.waitFor();
    await expect(notice.textContent()).resolves.toContain('Nodo Sur Cooperativa is unavailable');
    await expect(ui.page.locator('.kind-bars li').count()).resolves.toBeGreaterThan(2);
    await shots('partial');
    await goto('#/services');
    await catalogue();
    const names = await ui.page.locator('.view-services article.service h2').allTextContents();
    expect(names).toContain('Kafshata Mail');
    expect(names).not.toContain('Correo Nodo Sur');
    await goto('#/members/nodo-sur');
    await expect(ui.page.locator('main').textContent()).resolves.toContain('did not answer');
  });
});
