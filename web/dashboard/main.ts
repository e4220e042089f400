import './style.css';
import './records.css';
import { askGateway, GatewayError, loadNetwork, type Answer, type Snapshot } from './api';
import { h } from './dom';
import { formatTime } from './format';
import { initialLang, lang, LANGUAGES, setLang, t, type Lang, type MessageKey } from './i18n';
import { cleanToken, forgetToken, readToken, storeToken } from '../shared/token';
import { heading, type ViewContext } from './views/common';
import { identityView, type IdentityActions } from './views/identity';
import { memberView, membersView } from './views/members';
import { overviewView } from './views/overview';
import { projectsView } from './views/projects';
import { parseFilters, servicesView } from './views/services';
import { incidentsView, parseIncidentFilters } from './views/incidents';
import { indicatorSearchView } from './views/indicator-search';
import { describeError, type Ask } from './views/remote';
import { followChanges } from './live/live-changes';
import type { Follow } from './views/live-overview';
import { parseSolidarityFilters, solidarityView } from './views/solidarity';

interface State {
  token?: string;
  snapshot?: Snapshot;
  error?: string;
  loading: boolean;
  loadedAt?: Date;
  message?: IdentityActions['message'];
}

const state: State = { token: readToken(), loading: false };
const root = document.getElementById('app')!;
let inFlight: AbortController | undefined;

interface Route {
  name: 'overview' | 'members' | 'member' | 'services' | 'projects' | 'incidents' | 'indicators' | 'solidarity' | 'token';
  id?: string;
  params: URLSearchParams;
}

function route(): Route {
  const [path, query] = location.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query ?? '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'members' && parts[1]) return { name: 'member', id: parts[1], params };
  const pages: Route['name'][] = ['members', 'services', 'projects', 'incidents', 'indicators', 'solidarity', 'token'];
  if (pages.includes(parts[0] as Route['name'])) return { name: parts[0] as Route['name'], params };
  return { name: 'overview', params };
}

const NAV: [Route['name'], string, MessageKey][] = [
  ['overview', '#/', 'overview'],
  ['members', '#/members', 'members'],
  ['services', '#/services', 'services'],
  ['projects', '#/projects', 'projects'],
  ['incidents', '#/incidents', 'incidents'],
  ['indicators', '#/indicators', 'indicatorNav'],
  ['solidarity', '#/solidarity', 'solidarity'],
  ['token', '#/token', 'identity'],
];

/**
 * Answers to the views' own requests, kept until the next refresh, token or language change (so
 * going back to a view shows it at once); a question asked again on purpose (`fresh`) is sent again.
 */
let answers = new Map<string, Promise<Answer<unknown>>>();

const ask: Ask = <T>(query: string, variables: Record<string, unknown> = {}, opts: { fresh?: boolean; signal?: AbortSignal } = {}) => {
  const key = JSON.stringify([query, variables]);
  const kept = answers.get(key);
  if (kept && !opts.fresh) return kept as Promise<Answer<T>>;
  const token = state.token;
  const answer = askGateway<T>(query, variables, { token, signal: opts.signal }).catch((err: unknown) => {
    answers.delete(key); // a failure is not kept: "try again" asks again
    if (err instanceof GatewayError && err.status === 401 && token && token === state.token) void load();
    throw err;
  });
  answers.set(key, answer);
  return answer;
};

/** Live streams of the view on screen: stopped when another view (or a re-render) replaces it. */
const streams: { stop(): void }[] = [];

const follow: Follow = (kinds, handlers) => {
  const stream = followChanges({ token: state.token, kinds, ...handlers });
  streams.push(stream);
  return stream;
};

async function load(): Promise<void> {
  answers = new Map();
  inFlight?.abort();
  const controller = (inFlight = new AbortController());
  state.loading = true;
  render();
  try {
    state.snapshot = await loadNetwork({ lang: lang(), token: state.token, signal: controller.signal });
    state.error = undefined;
    state.loadedAt = new Date();
  } catch (err) {
    if (controller.signal.aborted) return;
    if (err instanceof GatewayError && err.status === 401 && state.token) {
      // an expired or revoked token: drop it rather than keep sending it
      forgetToken();
      state.token = undefined;
      state.message = { text: t('tokenRefused'), tone: 'bad' };
      state.loading = false;
      return load();
    }
    state.error = describeError(err);
  }
  state.loading = false;
  render();
}

async function useToken(pasted: string): Promise<void> {
  const token = cleanToken(pasted);
  if (!token) {
    state.message = { text: t('tokenEmpty'), tone: 'bad' };
    return render();
  }
  inFlight?.abort(); // an older answer must not land after this one
  state.loading = true;
  render();
  try {
    const snapshot = await loadNetwork({ lang: lang(), token });
    storeToken(token);
    answers = new Map(); // what the views asked as the previous identity must not be shown as this one's
    Object.assign(state, { token, snapshot, error: undefined, loadedAt: new Date(), message: { text: t('tokenAccepted'), tone: 'good' } });
  } catch (err) {
    state.message = { text: err instanceof GatewayError && err.status === 401 ? t('tokenRejected') : t('gatewayDown', { message: (err as Error).message }), tone: 'bad' };
  }
  state.loading = false;
  render();
}

function forget(): void {
  forgetToken();
  state.token = undefined;
  state.message = { text: t('tokenForgotten'), tone: 'info' };
  void load();
}

function notices(snapshot: Snapshot | undefined): HTMLElement {
  const box = h('div', { class: 'notices', id: 'notices' });
  if (state.error) {
    box.append(h('div', { class: 'notice notice-bad', role: 'alert' }, state.error, ' ', h('button', { type: 'button', class: 'button button-small', onclick: () => void load() }, t('retry'))));
  }
  // feedback about the token belongs next to its form; elsewhere (a stored token refused on load) it shows here
  if (state.message && route().name !== 'token') box.append(h('div', { class: `notice notice-${state.message.tone}`, role: 'status' }, state.message.text));
  if (!snapshot) return box;
  const names = new Map(snapshot.data.members.map((m) => [m.id, m.name]));
  for (const outage of snapshot.outages) {
    const member = names.get(outage.member) ?? outage.member;
    const text = outage.reason === 'skipped' ? t('memberSkipped', { member }) : t('memberUnavailable', { member });
    box.append(h('div', { class: 'notice notice-warn', role: 'alert', 'data-unavailable': outage.member }, h('strong', {}, text), ' ', h('span', {}, t('partialNote'))));
  }
  for (const problem of snapshot.problems) box.append(h('div', { class: 'notice notice-bad', role: 'alert' }, t('problem', { message: problem })));
  return box;
}

function header(current: Route): HTMLElement {
  const viewer = state.snapshot?.data.viewer;
  const who = !viewer ? '…' : viewer.anonymous ? t('anonymous') : `${viewer.member?.name ?? viewer.member?.id} · ${viewer.subject ?? ''}`;
  const active = current.name === 'member' ? 'members' : current.name;
  return h(
    'header',
    { class: 'site-header' },
    h(
      'div',
      { class: 'header-top' },
      h('p', { class: 'brand' }, h('a', { href: '#/' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), t('appName')), h('span', { class: 'tagline' }, t('tagline'))),
      h(
        'div',
        { class: 'header-tools' },
        h(
          'a',
          { class: `identity-badge ${viewer && !viewer.anonymous ? 'is-member' : ''}`, href: '#/token', id: 'identity-badge' },
          h('span', { class: 'muted' }, `${t('viewingAs')}: `),
          h('span', { 'data-identity': viewer?.anonymous ? 'anonymous' : 'member' }, who),
        ),
        h(
          'div',
          { class: 'field field-inline' },
          h('label', { for: 'lang-select' }, t('language')),
          h(
            'select',
            {
              id: 'lang-select',
              onchange: (e: Event) => {
                setLang((e.target as HTMLSelectElement).value as Lang);
                void load();
              },
            },
            Object.entries(LANGUAGES).map(([code, name]) => h('option', { value: code, lang: code, selected: code === lang() }, name)),
          ),
        ),
        h('button', { type: 'button', class: 'button button-small', id: 'refresh', onclick: () => void load(), disabled: state.loading }, t('refresh')),
      ),
    ),
    h(
      'nav',
      { 'aria-label': t('navMain') },
      h(
        'ul',
        {},
        NAV.map(([name, href, key]) => h('li', {}, h('a', { href, 'aria-current': name === active ? 'page' : undefined }, t(key)))),
        h('li', {}, h('a', { href: './explorer' }, t('explorer'))),
      ),
    ),
  );
}

function view(current: Route, ctx: ViewContext): HTMLElement {
  switch (current.name) {
    case 'members':
      return membersView(ctx);
    case 'member':
      return memberView(ctx, current.id!);
    case 'services':
      return servicesView(ctx, parseFilters(current.params));
    case 'projects':
      return projectsView(ctx);
    case 'incidents':
      return incidentsView(ctx, parseIncidentFilters(current.params));
    case 'indicators':
      return indicatorSearchView(ctx);
    case 'solidarity':
      return solidarityView(ctx, parseSolidarityFilters(current.params));
    case 'token':
      return identityView(ctx, { hasToken: !!state.token, token: state.token, message: state.message, useToken: (tok) => void useToken(tok), forget });
    default:
      return overviewView(ctx, follow);
  }
}

function render(focusHeading = false): void {
  const focusedId = document.activeElement?.id;
  for (const stream of streams.splice(0)) stream.stop();
  const current = route();
  const snapshot = state.snapshot;
  const ctx: ViewContext | undefined = snapshot && { data: snapshot.data, unavailable: new Set(snapshot.outages.map((o) => o.member)), ask };
  const content = ctx ? view(current, ctx) : h('div', { class: 'view' }, heading('h1', state.error ? t('appName') : t('loading')));
  root.replaceChildren(
    h(
      'a',
      {
        class: 'skip-link',
        href: '#main',
        onclick: (e: Event) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        },
      },
      t('skip'),
    ),
    header(current),
    h(
      'main',
      { id: 'main', tabindex: -1, 'aria-busy': state.loading ? 'true' : 'false' },
      h('p', { class: 'status-line', role: 'status' }, state.loading ? t('loading') : state.loadedAt ? t('updated', { time: formatTime(state.loadedAt) }) : ''),
      notices(snapshot),
      content,
    ),
    h('footer', { class: 'site-footer' }, h('p', {}, t('footer'))),
  );
  const title = content.querySelector('h1')?.textContent;
  document.title = title && title !== t('appName') ? `${title} · ${t('appName')}` : t('appName');
  if (focusHeading) (content.querySelector('h1') as HTMLElement | null)?.focus();
  else if (focusedId) document.getElementById(focusedId)?.focus();
}

window.addEventListener('hashchange', () => {
  if (route().name !== 'token') state.message = undefined;
  render(true);
});
setLang(initialLang());
void load();
