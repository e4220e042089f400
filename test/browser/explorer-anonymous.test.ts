/**
 * The explorer without a token, against a gateway in production mode (introspection needs a
 * token there): GraphiQL builds its schema from GET /schema.graphql, so the docs still work.
 */
import { chromium, type Browser } from 'playwright-core';
import { ringMembers } from '../support/fixtures';
import { TestNetwork } from '../support/network';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
jest.setTimeout(90_000);

let net: TestNetwork;
let browser: Browser;
beforeAll(async () => {
  net = await TestNetwork.start(ringMembers(['alpha', 'beta']));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
  await net?.stop();
});

it('loads the schema for an anonymous visitor from /schema.graphql and shows the docs', async () => {
  const origin = net.gateway.url.replace(/\/graphql$/, '');
  const page = await browser.newPage();
  const schemaFetched = page.waitForResponse((r) => r.url() === `${origin}/schema.graphql` && r.status() === 200);
  await page.goto(`${origin}/explorer`);
  await page.locator('.graphiql-container').waitFor();
  await schemaFetched;
  await page.getByRole('button', { name: /Show Documentation Explorer/i }).click();
  await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().waitFor();
  await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().click();
  await page.locator('.graphiql-doc-explorer').getByText('services', { exact: true }).first().waitFor();
  await page.close();
});
