import { GatewayError } from '../api';
import { h } from '../dom';
import { formatNumber } from '../format';
import { label, lang, languageName, t } from '../i18n';
import { DEFAULT_PAGE_SIZE, PAGE_SIZES, SERVICES_PAGE_QUERY, type ServiceQueryFilter, type ServicesPageData } from '../queries/services-page';
import { allServices, heading, memberNames, serviceCard, type ViewContext } from './common';
import { describeError, outageNotices } from './remote';

export interface ServiceFilters {
  q: string;
  kind: string;
  region: string;
  lang: string;
  accepting: boolean;
  /** Services per page. */
  per: number;
}

export function parseFilters(params: URLSearchParams): ServiceFilters {
  const per = Number(params.get('per'));
  return {
    q: params.get('q') ?? '',
    kind: params.get('kind') ?? '',
    region: params.get('region') ?? '',
    lang: params.get('lang') ?? '',
    accepting: params.get('accepting') === '1',
    per: (PAGE_SIZES as readonly number[]).includes(per) ? per : DEFAULT_PAGE_SIZE,
  };
}

function filtersToHash(f: ServiceFilters): string {
  const params = new URLSearchParams();
  if (f.q) params.set('q', f.q);
  if (f.kind) params.set('kind', f.kind);
  if (f.region) params.set('region', f.region);
  if (f.lang) params.set('lang', f.lang);
  if (f.accepting) params.set('accepting', '1');
  if (f.per !== DEFAULT_PAGE_SIZE) params.set('per', String(f.per));
  const query = params.toString();
  return `#/services${query ? `?${query}` : ''}`;
}

export function serviceQueryFilter(f: ServiceFilters): ServiceQueryFilter {
  const filter: ServiceQueryFilter = {};
  if (f.kind) filter.kinds = [f.kind];
  if (f.region) filter.regions = [f.region];
  if (f.lang) filter.languages = [f.lang];
  if (f.accepting) filter.acceptingUsers = true;
  if (f.q.trim()) filter.text = f.q.trim();
  return filter;
}

/** How long typing pauses before the search is sent. */
const TYPING_PAUSE_MS = 400;

/**
 * The catalogue, a page at a time (`servicesConnection`): the filters go to the members, the
 * gateway merges their pages in a stable order, and "show more" asks for the page after the last
 * one shown. The filter choices come from the services already loaded for the overview.
 */
export function servicesView({ data, ask }: ViewContext, initial: ServiceFilters): HTMLElement {
  const names = memberNames(data);
  const entries = allServices(data);
  const unique = (values: string[]) => [...new Set(values)];
  const kinds = unique(entries.map((e) => e.service.kind)).sort((a, b) => label('kind', a).localeCompare(label('kind', b)));
  const regions = unique(entries.flatMap((e) => e.service.regions)).sort();
  const languages = unique(entries.flatMap((e) => e.service.languages)).sort((a, b) => languageName(a).localeCompare(languageName(b)));
  const filters = { ...initial };

  const select = (id: 'kind' | 'region' | 'lang', text: string, options: [string, string][]) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: `f-${id}` }, text),
      h(
        'select',
        { id: `f-${id}`, name: id, onchange: (e: Event) => update({ [id]: (e.target as HTMLSelectElement).value }) },
        h('option', { value: '' }, t('all')),
        options.map(([value, name]) => h('option', { value, selected: filters[id] === value }, name)),
      ),
    );

  const count = h('p', { class: 'result-count', role: 'status', 'aria-live': 'polite' });
  const notices = h('div', { class: 'page-notices' });
  const results = h('div', { class: 'cards', id: 'service-results', 'aria-busy': 'true' });
  const more = h('button', { type: 'button', class: 'button button-secondary', id: 'more-services', hidden: true, onclick: () => void loadPage(true) }, t('showMore'));

  let shown = 0;
  let cursor: string | null = null;
  let generation = 0;

  /** The first page for the current filters (`append` false), or the page after the last one shown. */
  async function loadPage(append: boolean): Promise<void> {
    const mine = ++generation;
    results.setAttribute('aria-busy', 'true');
    more.disabled = true;
    if (!append) {
      shown = 0;
      cursor = null;
      count.textContent = t('loading');
    }
    try {
      const answer = await ask<ServicesPageData>(SERVICES_PAGE_QUERY, { filter: serviceQueryFilter(filters), first: filters.per, after: append ? cursor : null, lang: lang() });
      if (mine !== generation) return;
      const page = answer.data.servicesConnection;
      const cards = page.edges.map(({ node }) => serviceCard(node, { id: node.member.id, name: names.get(node.member.id) ?? node.member.id }, 'h2'));
      if (append) results.append(...cards);
      else results.replaceChildren(...(cards.length ? cards : [h('p', {}, t('noResults'))]));
      notices.replaceChildren(...outageNotices(answer.outages, names));
      shown += page.edges.length;
      cursor = page.pageInfo.endCursor;
      count.textContent = t('resultsOf', { count: formatNumber(shown), total: formatNumber(page.totalCount) });
      more.hidden = !page.pageInfo.hasNextPage;
      // the next page's first card takes the focus, so a keyboard user goes on reading there
      if (append) cards[0]?.querySelector('h2')?.setAttribute('tabindex', '-1');
      if (append) (cards[0]?.querySelector('h2') as HTMLElement | null)?.focus();
    } catch (err) {
      if (mine !== generation) return;
      notices.replaceChildren(
        h(
          'div',
          { class: 'notice notice-bad', role: 'alert' },
          describeError(err),
          ' ',
          h('button', { type: 'button', class: 'button button-small', onclick: () => void loadPage(append) }, t('retry')),
        ),
      );
      if (!append && !(err instanceof GatewayError && err.status === 429)) results.replaceChildren();
    } finally {
      if (mine === generation) {
        results.setAttribute('aria-busy', 'false');
        more.disabled = false;
      }
    }
  }

  let typing: ReturnType<typeof setTimeout> | undefined;
  function update(change: Partial<ServiceFilters>, wait = 0): void {
    Object.assign(filters, change);
    history.replaceState(null, '', filtersToHash(filters));
    clearTimeout(typing);
    results.setAttribute('aria-busy', 'true');
    if (wait) typing = setTimeout(() => void loadPage(false), wait);
    else void loadPage(false);
  }

  const form = h(
    'form',
    {
      class: 'filters',
      role: 'search',
      'aria-label': t('filters'),
      onsubmit: (e: Event) => {
        e.preventDefault();
        update({});
      },
    },
    h(
      'div',
      { class: 'field field-search' },
      h('label', { for: 'f-q' }, t('search')),
      h('input', {
        id: 'f-q',
        name: 'q',
        type: 'search',
        value: filters.q,
        placeholder: t('searchHint'),
        autocomplete: 'off',
        spellcheck: 'false',
        'aria-describedby': 'f-q-note',
        oninput: (e: Event) => update({ q: (e.target as HTMLInputElement).value }, TYPING_PAUSE_MS),
      }),
      h('p', { class: 'muted field-note', id: 'f-q-note' }, t('searchSentNote')),
    ),
    select(
      'kind',
      t('kind'),
      kinds.map((k) => [k, label('kind', k)]),
    ),
    select(
      'region',
      t('region'),
      regions.map((r) => [r, r]),
    ),
    select(
      'lang',
      t('languages'),
      languages.map((l) => [l, languageName(l)]),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'f-per' }, t('perPage')),
      h(
        'select',
        { id: 'f-per', name: 'per', onchange: (e: Event) => update({ per: Number((e.target as HTMLSelectElement).value) }) },
        PAGE_SIZES.map((n) => h('option', { value: String(n), selected: filters.per === n }, formatNumber(n))),
      ),
    ),
    h(
      'div',
      { class: 'field field-check' },
      h('input', { id: 'f-accepting', name: 'accepting', type: 'checkbox', checked: filters.accepting, onchange: (e: Event) => update({ accepting: (e.target as HTMLInputElement).checked }) }),
      h('label', { for: 'f-accepting' }, t('acceptingOnly')),
    ),
  );
  void loadPage(false);
  return h('div', { class: 'view view-services' }, heading('h1', t('serviceCatalogue')), form, count, notices, results, h('p', { class: 'more' }, more));
}
