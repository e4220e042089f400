/**
 * The overview's live part in a real browser against the demo network: an incident a member
 * reports and a capacity it changes reach the open page over SSE (/graphql/stream), without a
 * reload; a change to a record the viewer may not see never shows; the stream resumes after the
 * gateway ends it, and nothing is missed.
 */
import { join } from 'node:path';
import { ARTIFACTS, demoInBrowser, DESKTOP, PHONE } from './harness';

jest.setTimeout(90_000);

const REPORT = 'mutation($i: IncidentInput!) { reportIncident(input: $i) { id } }';
const CAPACITY = 'mutation($i: CapacityInput!) { reportCapacity(input: $i) { id used } }';

describe('live incidents and capacity on the overview', () => {
  const ui = demoInBrowser('web-live');

  const report = (id: string, severity: string, visibility: string) =>
    ui.gateway(REPORT, { i: { id, kind: 'DDOS', severity, observedAt: new Date().toISOString(), visibility, summary: [{ lang: 'en', text: `live ${id}` }] } }, ui.demo.tokens.kafshata);
  const usedStorage = async () => Number((await ui.page.locator('.capacity[data-resource="STORAGE_GB"] [data-value="used"]').textContent())!.replace(/\D/g, ''));

  beforeAll(async () => {
    await ui.page.goto(`${ui.origin}/#/token`);
    await ui.page.evaluate((t) => sessionStorage.setItem('infrared.token', t), ui.demo.tokens.ironweed);
    await ui.page.goto(`${ui.origin}/`);
    await ui.page.locator('main[aria-busy="false"]').waitFor();
  }, 120_000);

  it('shows an incident a member reports, as it happens, without reloading the page', async () => {
    await ui.page.locator('.live-status[data-live="live"]').waitFor({ timeout: 20_000 });
    await ui.page.evaluate(() => ((window as unknown as { __samePage: boolean }).__samePage = true));
    // "live" means the gateway answered the stream, which it does once its feed stands at the
    // present: every change made from now on reaches the page, so no warm-up change is needed
    // a record the viewer (ironweed) may not see first, then one it may see
    await report('live-secret', 'HIGH', 'OWNER');
    await report('live-ddos', 'CRITICAL', 'NETWORK');
    const item = ui.page.locator('[data-change="kafshata:live-ddos"]');
    await item.waitFor({ timeout: 20_000 });
    await expect(item.getAttribute('data-operation')).resolves.toBe('UPSERT');
    await expect(item.textContent()).resolves.toContain('Critical');
    await expect(item.textContent()).resolves.toContain('Kafshata Kolektiv');
    await expect(ui.page.locator('[data-change="kafshata:live-secret"]').count()).resolves.toBe(0);
    await expect(ui.page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).resolves.toBe(true);
    // the stream went to the gateway's own /graphql/stream, with the viewer's token
    expect(ui.watched.requests).toContain(`${ui.origin}/graphql/stream`);
  });

  it('redraws the capacity bars when a member changes a capacity record', async () => {
    const [record] = (
      await ui.gateway<{ capacity: { id: string; resource: string; total: number; used: number; visibility: string; numbersVisibility: string; service: { id: string } | null }[] }>(
        '{ capacity(filter: { members: ["kafshata"], resources: [STORAGE_GB] }) { id resource total used visibility numbersVisibility service { id } } }',
        {},
        ui.demo.tokens.kafshata,
      )
    ).capacity.filter((c) => c.visibility === 'PUBLIC' || c.visibility === 'NETWORK');
    expect(record).toBeDefined();
    const before = await usedStorage();
    const added = Math.min(100, record.total - record.used);
    expect(added).toBeGreaterThan(0);
    await ui.gateway(
      CAPACITY,
      {
        i: {
          id: record.id.split(':')[1],
          resource: record.resource,
          total: record.total,
          used: record.used + added,
          visibility: record.visibility,
          numbersVisibility: record.numbersVisibility,
          serviceId: record.service?.id.split(':')[1] ?? null,
        },
      },
      ui.demo.tokens.kafshata,
    );
    await ui.page.waitForFunction(
      (expected) => Number(document.querySelector('.capacity[data-resource="STORAGE_GB"] [data-value="used"]')?.textContent?.replace(/\D/g, '')) === expected,
      before + added,
      {
        timeout: 20_000,
      },
    );
    await expect(ui.page.locator('.live-capacity').textContent()).resolves.toContain('Capacity updated live');
    await expect(ui.page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).resolves.toBe(true);
    await ui.page.setViewportSize(PHONE);
    await ui.page.screenshot({ path: join(ARTIFACTS, 'overview-live-phone.png'), fullPage: true });
    await ui.page.setViewportSize(DESKTOP);
    await ui.page.screenshot({ path: join(ARTIFACTS, 'overview-live-desktop.png'), fullPage: true });
  });

  it('resumes after the stream breaks, with nothing missed', async () => {
    // leaving the overview closes the stream; changes made meanwhile come when it reopens
    await ui.page.evaluate(() => (location.hash = '#/members'));
    await ui.page.locator('main h1', { hasText: 'Members' }).waitFor();
    await report('while-away', 'HIGH', 'NETWORK');
    await ui.page.evaluate(() => (location.hash = '#/'));
    await ui.page.locator('[data-change="kafshata:while-away"]').waitFor({ timeout: 20_000 });
    // the earlier change is still listed once, not repeated by the resumed stream
    await expect(ui.page.locator('[data-change="kafshata:live-ddos"]').count()).resolves.toBe(1);
  });
});
