import { h } from '../dom';
import { formatNumber } from '../format';
import { label, lang, t } from '../i18n';
import { INCIDENT_KINDS, INCIDENTS_QUERY, newestFirst, SEVERITIES, type IncidentQueryFilter, type IncidentsData, type Severity } from '../queries/incidents';
import { heading, memberNames, type ViewContext } from './common';
import { incidentCard } from './incident-card';
import { remoteSection } from './remote';

export interface IncidentFilters {
  /** Minimum severity. */
  severity: string;
  kind: string;
  member: string;
  /** Observed on or after this day (YYYY-MM-DD, the browser's time zone). */
  from: string;
  /** Observed on or before this day. */
  to: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function parseIncidentFilters(params: URLSearchParams): IncidentFilters {
  const day = (v: string | null) => (v && DAY.test(v) ? v : '');
  return { severity: params.get('severity') ?? '', kind: params.get('kind') ?? '', member: params.get('member') ?? '', from: day(params.get('from')), to: day(params.get('to')) };
}

function filtersToHash(f: IncidentFilters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(f)) if (value) params.set(key, value);
  const query = params.toString();
  return `#/incidents${query ? `?${query}` : ''}`;
}

/** Midnight at the start of a local day, or of the day after (`end`). */
function localDay(day: string, end = false): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d + (end ? 1 : 0));
}

/**
 * What is sent: kinds, minimum severity, member and start day go to the members (a member filter
 * asks that member only); the end day is applied here, since the contract filters on a start only.
 */
export function incidentQueryFilter(f: IncidentFilters): IncidentQueryFilter {
  const filter: IncidentQueryFilter = {};
  if (f.kind) filter.kinds = [f.kind];
  if ((SEVERITIES as readonly string[]).includes(f.severity)) filter.minSeverity = f.severity as Severity;
  if (f.member) filter.members = [f.member];
  if (f.from) filter.since = localDay(f.from).toISOString();
  return filter;
}

/** Incidents across the network with their severity, kind, TLP label and status, filtered by severity, kind, member and time. */
export function incidentsView({ data, ask }: ViewContext, initial: IncidentFilters): HTMLElement {
  const names = memberNames(data);
  const filters = { ...initial };
  const count = h('p', { class: 'result-count', role: 'status', 'aria-live': 'polite' });

  const show = (answer: IncidentsData) => {
    const before = filters.to ? localDay(filters.to, true).getTime() : Infinity;
    const shown = newestFirst(answer.incidents).filter((i) => Date.parse(i.observedAt) < before);
    count.textContent = t('incidentResults', { count: formatNumber(shown.length) });
    return shown.length
      ? h(
          'div',
          { class: 'cards' },
          shown.map((i) => incidentCard(i, names, 'h2')),
        )
      : h('p', {}, t('noIncidents'));
  };
  const query = () => ask<IncidentsData>(INCIDENTS_QUERY, { filter: incidentQueryFilter(filters), lang: lang() });
  const results = remoteSection({ ask: query, show, names, attrs: { id: 'incident-results' } });

  function update(change: Partial<IncidentFilters>): void {
    Object.assign(filters, change);
    history.replaceState(null, '', filtersToHash(filters));
    count.textContent = '';
    results.load(query);
  }

  const select = (id: keyof IncidentFilters, text: string, options: [string, string][], all = t('all')) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: `i-${id}` }, text),
      h(
        'select',
        { id: `i-${id}`, name: id, onchange: (e: Event) => update({ [id]: (e.target as HTMLSelectElement).value }) },
        h('option', { value: '' }, all),
        options.map(([value, name]) => h('option', { value, selected: filters[id] === value }, name)),
      ),
    );
  const date = (id: 'from' | 'to', text: string) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: `i-${id}` }, text),
      h('input', { id: `i-${id}`, name: id, type: 'date', value: filters[id], onchange: (e: Event) => update({ [id]: (e.target as HTMLInputElement).value }) }),
    );

  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': t('filters'), onsubmit: (e: Event) => e.preventDefault() },
    select(
      'severity',
      t('minSeverity'),
      SEVERITIES.map((s) => [s, label('severity', s)]),
      t('anySeverity'),
    ),
    select(
      'kind',
      t('kind'),
      INCIDENT_KINDS.map((k) => [k, label('incident', k)]),
    ),
    select(
      'member',
      t('member'),
      [...data.members].sort((a, b) => a.name.localeCompare(b.name)).map((m) => [m.id, m.name]),
    ),
    date('from', t('observedFrom')),
    date('to', t('observedTo')),
  );
  return h(
    'div',
    { class: 'view view-incidents' },
    heading('h1', t('incidents')),
    h('p', { class: 'muted' }, t('incidentsNote'), ' ', h('a', { href: '#/indicators' }, t('indicatorSearch'))),
    form,
    count,
    results.element,
  );
}
