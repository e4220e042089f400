import 'graphiql/style.css';
import './explorer.css';
// Monaco's workers, bundled by Vite from node_modules (the esm.sh variant would fetch them from a CDN)
import 'graphiql/setup-workers/vite';
import { GraphiQL } from 'graphiql';
import { buildSchema, introspectionFromSchema } from 'graphql';
import type { Fetcher } from '@graphiql/toolkit';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initialLang, setLang, t } from '../dashboard/i18n';
import { fetchWithToken } from '../shared/caller-key';
import { explorerStorage, GRAPHQL_PATH, readToken } from '../shared/token';

const DEFAULT_QUERY = `# The InfraRed network: one endpoint over every member's subgraph.
# Text fields take a BCP 47 language tag: try "es" or "sq".
query Network($lang: String = "en") {
  network { name memberCount regions }
  viewer { anonymous member { name } subject scopes }
  services(filter: { acceptingUsers: true }) {
    name
    kind
    visibility
    description(lang: $lang)
    member { id }
  }
}
`;

/** The network contract as SDL, published by the gateway beside /graphql. */
const SCHEMA_PATH = GRAPHQL_PATH.replace(/graphql$/, 'schema.graphql');

/** Posts to this origin's /graphql only, with whatever the Headers editor holds. */
const fetcher: Fetcher = async (params, opts) => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(opts?.headers ?? {})) if (value !== undefined && value !== null) headers[name] = String(value);
  // a token in the Authorization header that is bound to this browser's key is sent with a proof
  const auth = Object.keys(headers).find((name) => name.toLowerCase() === 'authorization');
  const sentToken = auth ? headers[auth].replace(/^(bearer|dpop)\s+/i, '').trim() : '';
  if (auth) delete headers[auth];
  const send = sentToken ? await fetchWithToken(sentToken) : (url: string, init: RequestInit) => fetch(url, init);
  const res = await send(GRAPHQL_PATH, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(params),
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
  });
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return { errors: [{ message: `HTTP ${res.status}: ${text.slice(0, 200)}` }] };
  }
  // without a token, a production gateway refuses introspection: build the same answer from the
  // schema it publishes, so the docs and autocompletion work for anonymous visitors too
  if (body?.errors?.[0]?.extensions?.code === 'INTROSPECTION_DISABLED') {
    const sdl = await fetch(SCHEMA_PATH, { credentials: 'omit', referrerPolicy: 'no-referrer' });
    if (sdl.ok) return { data: introspectionFromSchema(buildSchema(await sdl.text())) };
  }
  return body;
};

setLang(initialLang());
const token = readToken();
const headers = token ? JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2) : '';

document.title = `${t('explorer')} · ${t('appName')}`;
const bar = document.getElementById('explorer-bar')!;
const back = Object.assign(document.createElement('a'), { href: './', textContent: t('backToDashboard') });
const note = Object.assign(document.createElement('p'), { textContent: token ? t('explorerToken') : t('explorerNoToken'), id: 'token-note' });
note.dataset.token = token ? 'set' : 'none';
bar.replaceChildren(back, note);

createRoot(document.getElementById('graphiql')!).render(
  <StrictMode>
    <GraphiQL
      fetcher={fetcher}
      // tabs and history live in this tab's sessionStorage, not localStorage, and never with headers
      storage={explorerStorage}
      shouldPersistHeaders={false}
      showPersistHeadersSettings={false}
      defaultQuery={DEFAULT_QUERY}
      initialHeaders={headers}
      defaultHeaders={headers}
      defaultEditorToolsVisibility={token ? 'headers' : false}
    >
      {/* our own logo: the stock one links to GitHub */}
      <GraphiQL.Logo>InfraRed</GraphiQL.Logo>
    </GraphiQL>
  </StrictMode>,
);
