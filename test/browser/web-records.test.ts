/**
 * The dashboard's incident, indicator-search and solidarity views, the member page's incidents and
 * support, and the explorer on a phone, in a real browser (Debian's chromium) against the demo
 * network. What each view shows is compared with what the gateway answers the same identity.
 * A member's text is untrusted: an incident summary made of HTML must show as text, never run.
 */
import { join } from 'node:path';
import { ARTIFACTS, demoInBrowser, DESKTOP, PHONE } from './harness';

jest.setTimeout(60_000);

/** HTML a hostile member could put in its records: must stay text. */
const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold</b>';

interface GatewayIncident {
  id: string;
  severity: string;
  kind: string;
  visibility: string;
  observedAt: string;
  member: { id: string };
}

describe('incidents, indicator search, solidarity and the phone explorer in a browser', () => {
  // this suite walks ten views and their filters as one caller within a minute, more than a
  // person does: the per-caller budget is raised so that the gateway's rate limit stays out of it
  const ui = demoInBrowser('web-records', { env: { INFRARED_RATE_LIMIT: '6000', INFRARED_ISSUER_RATE_LIMIT: '60000' } });

  const incidentsFor = async (filter: Record<string, unknown>, token?: string) =>
    (await ui.gateway<{ incidents: GatewayIncident[] }>('query($f: IncidentFilter) { incidents(filter: $f) { id severity kind visibility observedAt member { id } } }', { f: filter }, token))
      .incidents;

  const shot = async (name: string, size = DESKTOP) => {
    await ui.page.setViewportSize(size);
    await ui.page.screenshot({ path: join(ARTIFACTS, `${name}-${size === PHONE ? 'phone' : 'desktop'}.png`), fullPage: true });
  };
  const goto = async (hash: string) => {
    await ui.page.evaluate((h) => (location.hash = h), hash);
    await ui.page.locator('main h1').first().waitFor();
  };
  const loaded = () => ui.page.locator('main[aria-busy="false"]').waitFor();
  /** Waits until a view's own request has been answered. */
  const answered = (selector: string) => ui.page.locator(`${selector}[aria-busy="false"]`).waitFor();
  const shownIds = (selector: string, attribute: string) => ui.page.locator(selector).evaluateAll((els, a) => els.map((e) => e.getAttribute(a)!).sort(), attribute);
  /** At phone width: nothing wider than the screen (no sideways scrolling of the page). */
  const fitsPhone = async (name: string) => {
    await ui.page.setViewportSize(PHONE);
    const widths = await ui.page.evaluate(() => ({
      page: document.scrollingElement!.scrollWidth,
      widest: Math.max(...[...document.querySelectorAll('main .card, main form')].map((e) => e.getBoundingClientRect().right)),
    }));
    expect(widths.page).toBeLessThanOrEqual(PHONE.width);
    expect(widths.widest).toBeLessThanOrEqual(PHONE.width);
    await shot(name, PHONE);
    await shot(name, DESKTOP);
  };
  const useToken = async (token: string | undefined) => {
    await ui.page.goto(`${ui.origin}/#/token`);
    await ui.page.evaluate((t) => (t ? sessionStorage.setItem('infrared.token', t) : sessionStorage.removeItem('infrared.token')), token ?? '');
    await ui.page.reload();
    await loaded();
  };

  beforeAll(async () => {
    // a member (through its own token and the gateway) reports a PUBLIC incident whose text is HTML
    await ui.gateway(
      'mutation($i: IncidentInput!) { reportIncident(input: $i) { id } }',
      {
        i: {
          id: 'hostile-html',
          kind: 'ABUSE',
          severity: 'LOW',
          observedAt: '2026-03-20T10:00:00Z',
          visibility: 'PUBLIC',
          summary: [{ lang: 'en', text: HOSTILE }],
          mitigation: HOSTILE,
        },
      },
      ui.demo.tokens.kafshata,
    );
  }, 120_000);

  it('lists the incidents an anonymous visitor may see, member HTML as text that never runs', async () => {
    await useToken(undefined);
    await goto('#/incidents');
    await answered('#incident-results');
    const expected = (await incidentsFor({})).map((i) => i.id).sort();
    expect(expected).toContain('kafshata:hostile-html');
    await expect(shownIds('[data-incident]', 'data-incident')).resolves.toEqual(expected);
    const hostile = ui.page.locator('[data-incident="kafshata:hostile-html"]');
    await expect(hostile.locator('.summary').textContent()).resolves.toBe(HOSTILE);
    await expect(hostile.locator('img, script, b').count()).resolves.toBe(0);
    await expect(ui.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).resolves.toBeUndefined();
    // severity, kind, status and the TLP label of each one
    await expect(hostile.locator('[data-tlp]').textContent()).resolves.toBe('TLP:CLEAR');
    await expect(hostile.locator('[data-field="severity"]').textContent()).resolves.toBe('Severity: Low');
    await expect(hostile.locator('[data-field="status"]').textContent()).resolves.toBe('Open');
    await expect(hostile.locator('.card-title').textContent()).resolves.toBe('Abuse');
  });

  it('filters incidents by severity, kind, member and time range, as the gateway answers them', async () => {
    await useToken(ui.demo.tokens.kafshata);
    await goto('#/incidents');
    await answered('#incident-results');
    const all = await incidentsFor({}, ui.demo.tokens.kafshata);
    expect(all.length).toBeGreaterThan(5);
    await expect(shownIds('[data-incident]', 'data-incident')).resolves.toEqual(all.map((i) => i.id).sort());
    // TLP labels follow each record's visibility (the kafshata token sees NETWORK and shared MEMBERS records)
    const tlp = { PUBLIC: 'TLP:CLEAR', NETWORK: 'TLP:GREEN', MEMBERS: 'TLP:AMBER', OWNER: 'TLP:RED' } as Record<string, string>;
    for (const i of all) await expect(ui.page.locator(`[data-incident="${i.id}"] [data-tlp]`).textContent()).resolves.toBe(tlp[i.visibility]);
    expect(new Set(all.map((i) => i.visibility)).size).toBeGreaterThan(1);

    await ui.page.getByLabel('Severity at least').selectOption('HIGH');
    await answered('#incident-results');
    const high = all.filter((i) => i.severity === 'HIGH' || i.severity === 'CRITICAL').map((i) => i.id);
    expect(high.length).toBeGreaterThan(0);
    expect(high.length).toBeLessThan(all.length);
    await expect(shownIds('[data-incident]', 'data-incident')).resolves.toEqual(high.sort());
    expect(await ui.page.evaluate(() => location.hash)).toBe('#/incidents?severity=HIGH');

    await ui.page.getByLabel('Kind').selectOption('DDOS');
    await answered('#incident-results');
    await expect(shownIds('[data-incident]', 'data-incident')).resolves.toEqual(
      all
        .filter((i) => high.includes(i.id) && i.kind === 'DDOS')
        .map((i) => i.id)
        .sort(),
    );

    await ui.page.getByLabel('Severity at least').selectOption('');
    await ui.page.getByLabel('Kind').selectOption('');
    await ui.page.getByLabel('Member').selectOption('ironweed');
    await answered('#incident-results');
    const ironweed = all
      .filter((i) => i.member.id === 'ironweed')
      .map((i) => i.id)
      .sort();
    expect(ironweed.length).toBeGreaterThan(1);
    await expect(shownIds('[data-incident]', 'data-incident')).resolves.toEqual(ironweed);

    // a time range: February 2026 only (start sent to the members, end applied here)
    await ui.page.getByLabel('Member').selectOption('');
    await ui.page.getByLabel('Observed from').fill('2026-02-01');
    await answered('#incident-results');
    await ui.page.getByLabel('Observed until').fill('2026-02-28');
    await answered('#incident-results');
    const february = await ui.page.locator('[data-incident] time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')!));
    expect(february.length).toBeGreaterThan(0);
    const expectedFebruary = all.filter((i) => {
      const at = new Date(i.observedAt);
      return at >= new Date(2026, 1, 1) && at < new Date(2026, 2, 1);
    });
    expect(february.sort()).toEqual(expectedFebruary.map((i) => i.observedAt).sort());
    expect(expectedFebruary.length).toBeLessThan(all.length);
    // the filters survive a reload (they are in the address)
    await ui.page.reload();
    await answered('#incident-results');
    await expect(ui.page.getByLabel('Observed until').inputValue()).resolves.toBe('2026-02-28');
    await expect(ui.page.locator('[data-incident]').count()).resolves.toBe(expectedFebruary.length);
    await fitsPhone('incidents');
  });

  it('asks "has anyone seen this?" after saying who sees the question, and keeps it out of the address', async () => {
    await goto('#/indicators');
    const note = ui.page.locator('#indicator-privacy');
    await expect(note.isVisible()).resolves.toBe(true);
    await expect(note.textContent()).resolves.toContain('seen by every member asked');
    await expect(ui.page.getByLabel('Indicator', { exact: true }).getAttribute('aria-describedby')).resolves.toBe('indicator-privacy');
    // an empty question is not sent
    const asked = () => ui.watched.requests.filter((u) => u === `${ui.origin}/graphql`).length;
    const before = asked();
    await ui.page.getByRole('button', { name: 'Ask the members' }).click();
    await expect(ui.page.locator('.field-message').textContent()).resolves.toBe('Type an indicator first.');
    await expect(ui.page.getByLabel('Indicator', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
    expect(asked()).toBe(before);
    // an IP inside a reported range (CIDR containment at the members), submitted with Enter
    const request = ui.page.waitForRequest((r) => r.url() === `${ui.origin}/graphql` && (r.postData() ?? '').includes('203.0.113.7'));
    await ui.page.getByLabel('Indicator', { exact: true }).fill('203.0.113.7');
    await ui.page.getByLabel('Indicator', { exact: true }).press('Enter');
    expect(JSON.parse((await request).postData()!).variables.filter).toEqual({ indicator: '203.0.113.7' });
    await answered('[data-indicator-results]');
    const expected = (await incidentsFor({ indicator: '203.0.113.7' }, ui.demo.tokens.kafshata)).map((i) => i.id).sort();
    expect(expected).toContain('ironweed:botnet-range-2026-01');
    await expect(shownIds('[data-indicator-results] [data-incident]', 'data-incident')).resolves.toEqual(expected);
    await expect(ui.page.locator('[data-indicator-results] [data-found]').getAttribute('data-found')).resolves.toBe(String(expected.length));
    await expect(ui.page.locator('[data-indicator-results]').textContent()).resolves.toContain('Members asked: 4.');
    expect(await ui.page.evaluate(() => location.href)).not.toContain('203.0.113');
    // asked of one member only: only that member is named in the request
    await ui.page.getByLabel('Ask').selectOption('nodo-sur');
    const narrowed = ui.page.waitForRequest((r) => r.url() === `${ui.origin}/graphql` && (r.postData() ?? '').includes('nodo-sur'));
    await ui.page.getByRole('button', { name: 'Ask the members' }).click();
    expect(JSON.parse((await narrowed).postData()!).variables.filter).toEqual({ indicator: '203.0.113.7', members: ['nodo-sur'] });
    await answered('[data-indicator-results]');
    await expect(ui.page.locator('[data-indicator-results]').textContent()).resolves.toContain('Members asked: 1.');
    for (const id of await shownIds('[data-indicator-results] [data-incident]', 'data-incident')) expect(id).toMatch(/^nodo-sur:/);
    // nothing seen anywhere
    await ui.page.getByLabel('Ask').selectOption('');
    await ui.page.getByLabel('Indicator', { exact: true }).fill('never-seen.example');
    await ui.page.getByRole('button', { name: 'Ask the members' }).click();
    await answered('[data-indicator-results]');
    await expect(ui.page.locator('[data-indicator-results] [data-found]').textContent()).resolves.toBe('Not found in any report you may see.');
    await ui.page.getByLabel('Indicator', { exact: true }).fill('203.0.113.7');
    await ui.page.getByRole('button', { name: 'Ask the members' }).click();
    await answered('[data-indicator-results]');
    await fitsPhone('indicators');
  });

  it('shows support offers, needs and the gateway’s matches, by kind and by language', async () => {
    await goto('#/solidarity');
    await answered('#solidarity-results');
    const data = await ui.gateway<{
      supportOffers: { id: string; kind: string; languages: string[] }[];
      supportNeeds: { id: string; kind: string; languages: string[] }[];
      supportMatches: { kind: string; languages: string[]; need: { id: string }; offer: { id: string } }[];
    }>('{ supportOffers { id kind languages } supportNeeds { id kind languages } supportMatches { kind languages need { id } offer { id } } }', {}, ui.demo.tokens.kafshata);
    expect(data.supportMatches.length).toBeGreaterThan(1);
    await expect(shownIds('[data-offer]', 'data-offer')).resolves.toEqual(data.supportOffers.map((o) => o.id).sort());
    await expect(shownIds('[data-need]', 'data-need')).resolves.toEqual(data.supportNeeds.map((n) => n.id).sort());
    await expect(shownIds('[data-match]', 'data-match')).resolves.toEqual(data.supportMatches.map((m) => `${m.need.id}|${m.offer.id}`).sort());
    // a match names both sides by their titles, not their ids
    const first = data.supportMatches[0];
    await expect(ui.page.locator(`[data-match="${first.need.id}|${first.offer.id}"] .match-title`).first().textContent()).resolves.not.toBe(first.need.id);

    await ui.page.getByLabel('Kind of support').selectOption('MENTORING');
    await answered('#solidarity-results');
    expect(await ui.page.evaluate(() => location.hash)).toBe('#/solidarity?kind=MENTORING');
    await expect(shownIds('[data-offer]', 'data-offer')).resolves.toEqual(
      data.supportOffers
        .filter((o) => o.kind === 'MENTORING')
        .map((o) => o.id)
        .sort(),
    );
    await expect(shownIds('[data-match]', 'data-match')).resolves.toEqual(
      data.supportMatches
        .filter((m) => m.kind === 'MENTORING')
        .map((m) => `${m.need.id}|${m.offer.id}`)
        .sort(),
    );

    await ui.page.getByLabel('Kind of support').selectOption('');
    await answered('#solidarity-results');
    await ui.page.getByLabel('Languages').selectOption('sq');
    await answered('#solidarity-results');
    const speaksSq = (languages: string[]) => languages.some((l) => l.split('-')[0] === 'sq');
    await expect(shownIds('[data-offer]', 'data-offer')).resolves.toEqual(
      data.supportOffers
        .filter((o) => speaksSq(o.languages))
        .map((o) => o.id)
        .sort(),
    );
    await expect(shownIds('[data-need]', 'data-need')).resolves.toEqual(
      data.supportNeeds
        .filter((n) => speaksSq(n.languages))
        .map((n) => n.id)
        .sort(),
    );
    const sqMatches = data.supportMatches.filter((m) => speaksSq(m.languages)).map((m) => `${m.need.id}|${m.offer.id}`);
    expect(sqMatches.length).toBeLessThan(data.supportMatches.length);
    await expect(shownIds('[data-match]', 'data-match')).resolves.toEqual(sqMatches.sort());
    await fitsPhone('solidarity');
  });

  it('shows a member’s incidents, support offers and support needs on its page', async () => {
    await goto('#/members/kafshata');
    await answered('.member-records');
    const all = await ui.gateway<{ incidents: { id: string }[]; supportOffers: { id: string; member: { id: string } }[]; supportNeeds: { id: string; member: { id: string } }[] }>(
      '{ incidents(filter: { members: ["kafshata"] }) { id } supportOffers { id member { id } } supportNeeds { id member { id } } }',
      {},
      ui.demo.tokens.kafshata,
    );
    const section = (name: string) => ui.page.locator(`.member-records [data-section="${name}"]`);
    expect(all.incidents.length).toBeGreaterThan(1);
    await expect(
      section('incidents')
        .locator('[data-incident]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-incident')).sort()),
    ).resolves.toEqual(all.incidents.map((i) => i.id).sort());
    const offers = all.supportOffers.filter((o) => o.member.id === 'kafshata').map((o) => o.id);
    const needs = all.supportNeeds.filter((n) => n.member.id === 'kafshata').map((n) => n.id);
    expect(offers.length).toBeGreaterThan(0);
    expect(needs.length).toBeGreaterThan(0);
    await expect(
      section('supportOffers')
        .locator('[data-offer]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-offer')).sort()),
    ).resolves.toEqual(offers.sort());
    await expect(
      section('supportNeeds')
        .locator('[data-need]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-need')).sort()),
    ).resolves.toEqual(needs.sort());
    // the hostile summary is kafshata's: text here too
    await expect(section('incidents').locator('[data-incident="kafshata:hostile-html"] .summary').textContent()).resolves.toBe(HOSTILE);
    await expect(section('incidents').locator('img, script, b').count()).resolves.toBe(0);
    await fitsPhone('member-records');
  });

  it('reaches every new view from the navigation with the keyboard', async () => {
    await ui.page.goto(`${ui.origin}/`);
    await loaded();
    for (const [name, heading] of [
      ['Incidents', 'Incidents'],
      ['Has anyone seen this?', 'Has anyone seen this indicator?'],
      ['Solidarity', 'Solidarity'],
    ]) {
      const link = ui.page.locator('nav a', { hasText: name });
      await link.focus();
      await ui.page.keyboard.press('Enter');
      await ui.page.locator('main h1', { hasText: new RegExp(`^${heading.replace(/\?/g, '\\?')}$`) }).waitFor();
      // the heading takes the focus, so a screen reader announces the new view
      await expect(ui.page.evaluate(() => document.activeElement?.tagName)).resolves.toBe('H1');
    }
    const unlabelled = await ui.page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea')].filter((el) => !(el as HTMLInputElement).labels?.length && !el.getAttribute('aria-label')).map((el) => el.outerHTML),
    );
    expect(unlabelled).toEqual([]);
  });

  it('forgets what the views asked as a member once the token is forgotten', async () => {
    await goto('#/incidents');
    await answered('#incident-results');
    const network = (await incidentsFor({}, ui.demo.tokens.kafshata)).filter((i) => i.visibility !== 'PUBLIC');
    expect(network.length).toBeGreaterThan(0);
    await expect(ui.page.locator(`[data-incident="${network[0].id}"]`).count()).resolves.toBe(1);
    await goto('#/token');
    await ui.page.getByRole('button', { name: 'Forget the token' }).click();
    await ui.page.locator('.notice-info').waitFor();
    await loaded();
    await goto('#/incidents');
    await answered('#incident-results');
    const anonymous = (await incidentsFor({})).map((i) => i.id).sort();
    await expect(shownIds('[data-incident]', 'data-incident')).resolves.toEqual(anonymous);
    for (const i of network) expect(anonymous).not.toContain(i.id);
  });

  it('speaks Spanish and Albanian in the new views, with the members’ text in that language', async () => {
    await useToken(ui.demo.tokens.kafshata);
    await goto('#/incidents?member=ciberfeminista');
    await ui.page.getByLabel('Language').selectOption('es');
    await ui.page.locator('nav a', { hasText: 'Incidentes' }).waitFor();
    await answered('#incident-results');
    const phishing = ui.page.locator('[data-incident="ciberfeminista:phishing-correo-seguro-2026-02"]');
    await expect(phishing.locator('[data-field="severity"]').textContent()).resolves.toBe('Gravedad: Alta');
    await expect(phishing.locator('.summary').textContent()).resolves.toContain('Campaña de phishing');
    await ui.page.getByLabel('Idioma').selectOption('sq');
    await ui.page.locator('nav a', { hasText: 'Solidariteti' }).waitFor();
    await answered('#incident-results');
    await expect(phishing.locator('[data-field="severity"]').textContent()).resolves.toBe('Rëndësia: E lartë');
    await ui.page.getByLabel('Gjuha').selectOption('en');
    await ui.page.locator('nav a', { hasText: 'Solidarity' }).waitFor();
    await loaded();
  });

  it('stacks the explorer’s panes on a phone, each as wide as the screen allows', async () => {
    await ui.page.setViewportSize(PHONE);
    await ui.page.goto(`${ui.origin}/explorer`);
    await ui.page.locator('.graphiql-container').waitFor();
    await ui.page.locator('.graphiql-query-editor .monaco-editor').waitFor();
    const boxes = await ui.page.evaluate(() => {
      const box = (selector: string) => {
        const r = document.querySelector(selector)!.getBoundingClientRect();
        return { left: r.left, top: r.top, width: r.width, height: r.height, bottom: r.bottom };
      };
      return { editors: box('.graphiql-editors'), response: box('.graphiql-response'), page: document.scrollingElement!.scrollWidth };
    });
    // both panes visible, stacked (the answer below the query), and most of the screen wide
    expect(boxes.editors.width).toBeGreaterThan(PHONE.width * 0.75);
    expect(boxes.response.width).toBeGreaterThan(PHONE.width * 0.75);
    expect(boxes.editors.height).toBeGreaterThan(150);
    expect(boxes.response.height).toBeGreaterThan(150);
    expect(boxes.response.top).toBeGreaterThanOrEqual(boxes.editors.bottom - 1);
    expect(boxes.page).toBeLessThanOrEqual(PHONE.width);
    // the query runs, and its answer shows in the stacked response pane
    const response = ui.page.waitForResponse((r) => r.url() === `${ui.origin}/graphql` && (r.request().postData() ?? '').includes('viewer'));
    await ui.page.locator('.graphiql-execute-button').click();
    await response;
    await ui.page.locator('.graphiql-response').getByText('memberCount').first().waitFor();
    await shot('explorer', PHONE);
    // at desktop width the panes stay side by side
    await ui.page.setViewportSize(DESKTOP);
    const wide = await ui.page.evaluate(() => [document.querySelector('.graphiql-editors')!.getBoundingClientRect().top, document.querySelector('.graphiql-response')!.getBoundingClientRect().top]);
    expect(Math.abs(wide[0] - wide[1])).toBeLessThan(60);
  });

  it('names a member that did not answer a view’s own request, and shows the others', async () => {
    await useToken(ui.demo.tokens.kafshata);
    await ui.demo.members.find((m) => m.memberId === 'nodo-sur')!.stop();
    await goto('#/incidents');
    await ui.page.locator('#refresh').click();
    await loaded();
    await answered('#incident-results');
    await expect(ui.page.locator('#incident-results [data-unavailable="nodo-sur"]').textContent()).resolves.toContain('Nodo Sur Cooperativa is unavailable');
    const shown = await shownIds('[data-incident]', 'data-incident');
    expect(shown.some((id) => id.startsWith('ironweed:'))).toBe(true);
    expect(shown.some((id) => id.startsWith('nodo-sur:'))).toBe(false);
    await goto('#/solidarity');
    await answered('#solidarity-results');
    await expect(ui.page.locator('#solidarity-results [data-unavailable="nodo-sur"]').count()).resolves.toBe(1);
  });
});
