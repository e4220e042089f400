import { h } from '../dom';
import { formatNumber } from '../format';
import { label, languageName, t } from '../i18n';
import { allServices, heading, serviceCard, type ViewContext } from './common';

export interface ServiceFilters {
  q: string;
  kind: string;
  region: string;
  lang: string;
  accepting: boolean;
}

export function parseFilters(params: URLSearchParams): ServiceFilters {
  return { q: params.get('q') ?? '', kind: params.get('kind') ?? '', region: params.get('region') ?? '', lang: params.get('lang') ?? '', accepting: params.get('accepting') === '1' };
}

function filtersToHash(f: ServiceFilters): string {
  const params = new URLSearchParams();
  if (f.q) params.set('q', f.q);
  if (f.kind) params.set('kind', f.kind);
  if (f.region) params.set('region', f.region);
  if (f.lang) params.set('lang', f.lang);
  if (f.accepting) params.set('accepting', '1');
  const query = params.toString();
  return `#/services${query ? `?${query}` : ''}`;
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** The catalogue: filters act on the data already loaded, so typing sends nothing anywhere. */
export function servicesView({ data }: ViewContext, initial: ServiceFilters): HTMLElement {
  const entries = allServices(data).sort((a, b) => a.service.name.localeCompare(b.service.name));
  const unique = (values: string[]) => [...new Set(values)];
  const kinds = unique(entries.map((e) => e.service.kind)).sort((a, b) => label('kind', a).localeCompare(label('kind', b)));
  const regions = unique(entries.flatMap((e) => e.service.regions)).sort();
  const languages = unique(entries.flatMap((e) => e.service.languages)).sort((a, b) => languageName(a).localeCompare(languageName(b)));
  const filters = { ...initial };

  const select = (id: keyof ServiceFilters, text: string, options: [string, string][]) =>
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
  const results = h('div', { class: 'cards' });

  function renderResults(): void {
    const q = fold(filters.q.trim());
    const shown = entries.filter(({ service: s }) => {
      if (filters.kind && s.kind !== filters.kind) return false;
      if (filters.region && !s.regions.includes(filters.region)) return false;
      if (filters.lang && !s.languages.includes(filters.lang)) return false;
      if (filters.accepting && !s.acceptingUsers) return false;
      if (q && !fold([s.name, s.description ?? '', s.software ?? ''].join(' ')).includes(q)) return false;
      return true;
    });
    count.textContent = t('results', { count: formatNumber(shown.length) });
    results.replaceChildren(...(shown.length ? shown.map(({ service, member }) => serviceCard(service, member, 'h2')) : [h('p', {}, t('noResults'))]));
  }

  function update(change: Partial<ServiceFilters>): void {
    Object.assign(filters, change);
    history.replaceState(null, '', filtersToHash(filters));
    renderResults();
  }

  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': t('filters'), onsubmit: (e: Event) => e.preventDefault() },
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
        oninput: (e: Event) => update({ q: (e.target as HTMLInputElement).value }),
      }),
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
      { class: 'field field-check' },
      h('input', { id: 'f-accepting', name: 'accepting', type: 'checkbox', checked: filters.accepting, onchange: (e: Event) => update({ accepting: (e.target as HTMLInputElement).checked }) }),
      h('label', { for: 'f-accepting' }, t('acceptingOnly')),
    ),
  );
  renderResults();
  return h('div', { class: 'view view-services' }, heading('h1', t('serviceCatalogue')), form, count, results);
}
