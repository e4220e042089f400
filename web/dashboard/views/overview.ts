import { RESOURCES, type Capacity } from '../api';
import { h, scrollTable, svg } from '../dom';
import { formatDateTime, formatList, formatNumber } from '../format';
import { label, t } from '../i18n';
import { allCapacity, allProjects, allServices, badge, capacityBar, heading, memberLink, sumCapacity, type ViewContext } from './common';
import { liveOverview, type Follow } from './live-overview';

/** The capacity bars, one per resource with records. */
function capacityBars(capacity: Capacity[]): Node[] {
  const resources = RESOURCES.filter((r) => capacity.some((c) => c.resource === r));
  return resources.length ? resources.map((r) => capacityBar(sumCapacity(capacity, r), label('resource', r))) : [h('p', {}, t('noCapacity'))];
}

export function overviewView(ctx: ViewContext, follow: Follow): HTMLElement {
  const { data, unavailable } = ctx;
  const services = allServices(data);
  const byKind = new Map<string, number>();
  for (const { service } of services) byKind.set(service.kind, (byKind.get(service.kind) ?? 0) + 1);
  const kinds = [...byKind].sort((a, b) => b[1] - a[1] || label('kind', a[0]).localeCompare(label('kind', b[0])));
  const maxKind = Math.max(1, ...byKind.values());
  const bars = h('div', { class: 'capacity-bars', id: 'capacity-bars' }, capacityBars(allCapacity(data)));
  /** A live capacity change: the fresh answer replaces the loaded one (for the other views too) and the bars are redrawn. */
  const redrawCapacity = (fresh: Capacity[]) => {
    data.capacity.splice(0, data.capacity.length, ...fresh);
    for (const m of data.members) if (m.capacity) m.capacity = fresh.filter((c) => c.member.id === m.id);
    bars.replaceChildren(...capacityBars(fresh));
  };

  const stat = (name: string, value: string | number, detail?: string) =>
    h('div', { class: 'stat' }, h('dt', {}, name), h('dd', {}, h('span', { class: 'stat-value' }, value), detail ? h('span', { class: 'stat-detail' }, detail) : null));

  return h(
    'div',
    { class: 'view view-overview' },
    heading('h1', data.network.name),
    h(
      'section',
      { 'aria-labelledby': 'summary-h' },
      h('h2', { id: 'summary-h', class: 'visually-hidden' }, t('networkSummary')),
      h(
        'dl',
        { class: 'stats' },
        stat(t('memberCount'), data.network.memberCount),
        stat(t('regionCount'), data.network.regions.length, formatList(data.network.regions)),
        stat(t('serviceCount'), services.length),
        stat(t('projectCount'), allProjects(data).length),
      ),
    ),
    h(
      'div',
      { class: 'two-col' },
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'kinds-h' },
        h('h2', { id: 'kinds-h' }, t('servicesByKind')),
        h(
          'ul',
          { class: 'kind-bars' },
          kinds.map(([kind, count]) =>
            h(
              'li',
              { 'data-kind': kind },
              h('a', { href: `#/services?kind=${kind}`, class: 'kind-name' }, label('kind', kind)),
              svg(
                'svg',
                { class: 'bar', viewBox: '0 0 100 10', preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' },
                svg('rect', { class: 'bar-used', x: 0, y: 0, width: ((count / maxKind) * 100).toFixed(2), height: 10 }),
              ),
              h('span', { class: 'kind-count' }, formatNumber(count)),
            ),
          ),
        ),
      ),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'capacity-h' },
        h('h2', { id: 'capacity-h' }, t('capacityTotals')),
        h('p', { class: 'muted' }, t('capacityNote')),
        h('p', { class: 'legend', 'aria-hidden': 'true' }, h('span', { class: 'swatch swatch-used' }), t('used'), ' ', h('span', { class: 'swatch swatch-available' }), t('available')),
        bars,
      ),
    ),
    liveOverview(ctx, follow, redrawCapacity),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'health-h' },
      h('h2', { id: 'health-h' }, t('memberHealth')),
      scrollTable(
        t('memberHealth'),
        [t('member'), t('healthState'), t('latency'), t('schemaVersion'), t('lastSeen'), t('breaker')],
        data.members.map((m) => {
          const state = unavailable.has(m.id) || !m.status.reachable ? 'UNAVAILABLE' : m.status.state;
          return [
            memberLink(m),
            badge(label('state', state), state === 'OK' ? 'good' : state === 'UNKNOWN' ? 'warn' : 'bad'),
            m.status.latencyMs === null ? '—' : `${formatNumber(m.status.latencyMs)} ms`,
            m.status.schemaVersion ?? '—',
            formatDateTime(m.status.lastSeen),
            badge(label('breaker', m.status.breaker), m.status.breaker === 'closed' ? 'good' : 'warn'),
          ];
        }),
      ),
    ),
  );
}
