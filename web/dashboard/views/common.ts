import type { Capacity, Member, NetworkData, Project, Resource, Service, Training } from '../api';
import { h, externalLink, svg } from '../dom';
import { formatDateTime, formatList, formatNumber } from '../format';
import { label, languageName, t, tNodes } from '../i18n';
import type { Ask } from './remote';

/** What a view gets: the data of the last answer and the names of the members that did not answer. */
export interface ViewContext {
  data: NetworkData;
  unavailable: ReadonlySet<string>;
  /** More records for a view, asked when the view needs them (incidents, solidarity…). */
  ask: Ask;
}

/** Member id → name, from the registry. */
export const memberNames = (data: NetworkData): Map<string, string> => new Map(data.members.map((m) => [m.id, m.name]));

/** A member reference named from the registry (the id when the registry does not know it). */
export const memberRef = (names: ReadonlyMap<string, string>, id: string) => memberLink({ id, name: names.get(id) ?? id });

export const allServices = (data: NetworkData): { service: Service; member: Member }[] => {
  const members = new Map(data.members.map((m) => [m.id, m]));
  return data.services.flatMap((service) => {
    const member = members.get(service.member.id);
    return member ? [{ service, member }] : [];
  });
};

export const allProjects = (data: NetworkData): Project[] => data.projects;

export const allCapacity = (data: NetworkData): Capacity[] => data.capacity;

export function memberLink(ref: { id: string; name: string }): HTMLAnchorElement {
  return h('a', { href: `#/members/${encodeURIComponent(ref.id)}` }, ref.name);
}

export function badge(text: string, tone: 'neutral' | 'good' | 'warn' | 'bad' | 'info' = 'neutral'): HTMLElement {
  return h('span', { class: `badge badge-${tone}` }, text);
}

const SERVICE_TONE: Record<string, 'good' | 'warn' | 'bad' | 'neutral'> = { OPERATIONAL: 'good', DEGRADED: 'warn', MAINTENANCE: 'warn', DOWN: 'bad', PLANNED: 'neutral' };

export const visibilityBadge = (v: string) => badge(label('vis', v), v === 'PUBLIC' ? 'neutral' : 'info');

/** TLP 2.0 label of a visibility level (PUBLIC=CLEAR, NETWORK=GREEN, MEMBERS=AMBER, OWNER=RED), in its TLP colours. */
const TLP: Record<string, string> = { PUBLIC: 'CLEAR', NETWORK: 'GREEN', MEMBERS: 'AMBER', OWNER: 'RED' };
export const tlpBadge = (v: string) => h('span', { class: `badge tlp tlp-${(TLP[v] ?? 'unknown').toLowerCase()}`, title: label('vis', v), 'data-tlp': TLP[v] ?? v }, `TLP:${TLP[v] ?? v}`);

export function heading(level: 'h1' | 'h2', text: string, id?: string): HTMLElement {
  return h(level, { id, tabindex: level === 'h1' ? -1 : undefined }, text);
}

export function serviceCard(service: Service, member: { id: string; name: string } | undefined, level: 'h2' | 'h3' = 'h3'): HTMLElement {
  return h(
    'article',
    { class: 'card service', 'data-service': service.id },
    h(level, { class: 'card-title' }, service.name),
    member ? h('p', { class: 'byline' }, tNodes('by', { member: memberLink(member) })) : null,
    h(
      'p',
      { class: 'badges' },
      badge(label('kind', service.kind)),
      badge(label('status', service.status), SERVICE_TONE[service.status] ?? 'neutral'),
      badge(service.acceptingUsers ? t('accepting') : t('notAccepting'), service.acceptingUsers ? 'good' : 'neutral'),
      visibilityBadge(service.visibility),
    ),
    service.description ? h('p', {}, service.description) : null,
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, t('languages')),
      h('dd', {}, formatList(service.languages.map(languageName))),
      h('dt', {}, t('region')),
      h('dd', {}, formatList(service.regions)),
      service.software ? [h('dt', {}, t('software')), h('dd', {}, service.software)] : null,
      service.url ? [h('dt', {}, t('website')), h('dd', {}, externalLink(service.url))] : null,
    ),
  );
}

export function projectCard(project: Project, level: 'h2' | 'h3' = 'h3'): HTMLElement {
  return h(
    'article',
    { class: 'card project', 'data-project': project.id },
    h(level, { class: 'card-title' }, project.name),
    h('p', { class: 'badges' }, badge(label('project', project.status), project.status === 'ACTIVE' ? 'good' : 'neutral'), visibilityBadge(project.visibility)),
    project.summary ? h('p', {}, project.summary) : null,
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, t('lead')),
      h('dd', {}, memberLink(project.lead)),
      h('dt', {}, t('participants')),
      h(
        'dd',
        { 'data-participants': '' },
        project.participants.length
          ? h(
              'ul',
              { class: 'inline-list' },
              project.participants.map((p) => h('li', {}, memberLink(p))),
            )
          : t('none'),
      ),
      project.needs.length ? [h('dt', {}, t('needs')), h('dd', {}, formatList(project.needs))] : null,
    ),
  );
}

/** A training or mentoring session: format, dates, languages, region and seats. */
export function trainingCard(training: Training, level: 'h2' | 'h3' = 'h3'): HTMLElement {
  const when = training.endsAt ? `${formatDateTime(training.startsAt)} – ${formatDateTime(training.endsAt)}` : formatDateTime(training.startsAt);
  return h(
    'article',
    { class: 'card training', 'data-training': training.id },
    h(level, { class: 'card-title' }, training.title),
    h('p', { class: 'badges' }, badge(label('format', training.format), training.format === 'ONLINE' ? 'info' : 'neutral'), visibilityBadge(training.visibility)),
    training.description ? h('p', {}, training.description) : null,
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, t('when')),
      h('dd', { 'data-when': '' }, when),
      h('dt', {}, t('languages')),
      h('dd', {}, formatList(training.languages.map(languageName))),
      training.region ? [h('dt', {}, t('region')), h('dd', {}, training.region)] : null,
      training.seats !== null ? [h('dt', {}, t('seats')), h('dd', { 'data-seats': '' }, formatNumber(training.seats))] : null,
    ),
  );
}

export interface CapacityTotal {
  resource: Resource;
  total: number;
  used: number;
  available: number;
  /** Records counted. */
  shown: number;
  /** Records whose numbers the caller may not see. */
  hidden: number;
}

export function sumCapacity(records: Capacity[], resource: Resource): CapacityTotal {
  const sum: CapacityTotal = { resource, total: 0, used: 0, available: 0, shown: 0, hidden: 0 };
  for (const c of records) {
    if (c.resource !== resource) continue;
    if (c.total === null || c.used === null) {
      sum.hidden++;
      continue;
    }
    sum.shown++;
    sum.total += c.total;
    sum.used += c.used;
    sum.available += c.available ?? c.total - c.used;
  }
  return sum;
}

/**
 * A used/available bar in inline SVG (no inline style attribute: the page's CSP forbids those).
 * When every record's numbers are hidden it says so instead of drawing an empty bar.
 */
export function capacityBar(sum: CapacityTotal, title: string): HTMLElement {
  const allHidden = sum.shown === 0;
  const usedPct = sum.total > 0 ? Math.min(100, (sum.used / sum.total) * 100) : 0;
  const numbers = allHidden
    ? h('p', { class: 'capacity-numbers' }, h('span', { class: 'hidden-value' }, t('hidden')))
    : h(
        'p',
        { class: 'capacity-numbers' },
        h('span', { class: 'key key-used' }, `${t('used')}: `, h('strong', { 'data-value': 'used' }, formatNumber(sum.used))),
        h('span', { class: 'key key-available' }, `${t('available')}: `, h('strong', { 'data-value': 'available' }, formatNumber(sum.available))),
        h('span', {}, `${t('total')}: `, h('strong', { 'data-value': 'total' }, formatNumber(sum.total))),
      );
  return h(
    'div',
    { class: 'capacity', 'data-resource': sum.resource, 'data-hidden': allHidden ? 'true' : undefined },
    h('p', { class: 'capacity-title' }, title, sum.hidden > 0 && !allHidden ? h('span', { class: 'muted' }, ` (${t('hiddenRecords', { count: sum.hidden })})`) : null),
    allHidden
      ? h('div', { class: 'bar bar-hidden', 'aria-hidden': 'true' })
      : svg(
          'svg',
          {
            class: 'bar',
            viewBox: '0 0 100 10',
            preserveAspectRatio: 'none',
            role: 'img',
            'aria-label': `${title}: ${t('used')} ${formatNumber(sum.used)}, ${t('available')} ${formatNumber(sum.available)}`,
          },
          svg('rect', { class: 'bar-available', x: 0, y: 0, width: 100, height: 10 }),
          svg('rect', { class: 'bar-used', x: 0, y: 0, width: usedPct.toFixed(2), height: 10 }),
        ),
    numbers,
  );
}
