import { h, externalLink, scrollTable } from '../dom';
import { formatList, formatNumber } from '../format';
import { label, languageName, regionName, t } from '../i18n';
import { allProjects, badge, capacityBar, heading, memberLink, projectCard, serviceCard, sumCapacity, trainingCard, type ViewContext } from './common';
import { RESOURCES } from '../api';
import { memberRecordsSections } from './member-records';

/** Unavailable (in this answer, or per the gateway's health view), refusing this gateway, or reachable. */
function memberHealthBadge(m: ViewContext['data']['members'][number], unavailable: ReadonlySet<string>): HTMLElement {
  if (unavailable.has(m.id) || !m.status.reachable || m.status.state === 'UNAVAILABLE') return badge(t('memberUnavailable', { member: m.name }), 'bad');
  if (m.status.state === 'UNTRUSTED') return badge(t('memberUntrusted', { member: m.name }), 'bad');
  return badge(t('reachable'), 'good');
}

export function membersView({ data, unavailable }: ViewContext): HTMLElement {
  const members = [...data.members].sort((a, b) => a.region.localeCompare(b.region) || a.name.localeCompare(b.name));
  return h(
    'div',
    { class: 'view view-members' },
    heading('h1', t('members')),
    scrollTable(
      t('membersByRegion'),
      [t('member'), t('region'), t('countries'), t('languages'), t('services'), t('projects'), t('status')],
      members.map((m) => [
        memberLink(m),
        m.region,
        formatList(m.countries.map(regionName)),
        formatList(m.languages.map(languageName)),
        m.services ? formatNumber(m.services.length) : '—',
        m.projects ? formatNumber(m.projects.length) : '—',
        memberHealthBadge(m, unavailable),
      ]),
    ),
  );
}

export function memberView(ctx: ViewContext, id: string): HTMLElement {
  const { data, unavailable } = ctx;
  const m = data.members.find((x) => x.id === id);
  if (!m) return h('div', { class: 'view' }, heading('h1', t('members')), h('p', {}, t('notFound')), h('p', {}, h('a', { href: '#/members' }, t('backToMembers'))));
  const answered = !unavailable.has(m.id) && m.services !== null;
  const partOf = allProjects(data).filter((p) => p.lead.id !== m.id && p.participants.some((x) => x.id === m.id));
  const capacity = m.capacity ?? [];
  const section = (key: 'services' | 'capacityTotals' | 'ledProjects' | 'takesPartIn' | 'trainings', content: Node | Node[]) =>
    h('section', { class: 'panel', 'aria-labelledby': `m-${key}` }, h('h2', { id: `m-${key}` }, t(key)), content);
  return h(
    'div',
    { class: 'view view-member', 'data-member': m.id },
    h('p', { class: 'crumbs' }, h('a', { href: '#/members' }, t('backToMembers'))),
    heading('h1', m.name),
    m.description ? h('p', { class: 'lead-text' }, m.description) : null,
    h(
      'dl',
      { class: 'facts facts-wide' },
      h('dt', {}, t('region')),
      h('dd', {}, m.region),
      h('dt', {}, t('countries')),
      h('dd', {}, formatList(m.countries.map(regionName))),
      h('dt', {}, t('languages')),
      h('dd', {}, formatList(m.languages.map(languageName))),
      m.website ? [h('dt', {}, t('website')), h('dd', {}, externalLink(m.website))] : null,
    ),
    answered ? null : h('p', { class: 'notice notice-warn' }, t('memberUnavailable', { member: m.name }), '. ', t('notAnswered')),
    section(
      'services',
      (m.services ?? []).length
        ? h(
            'div',
            { class: 'cards' },
            (m.services ?? []).map((s) => serviceCard(s, undefined)),
          )
        : h('p', {}, t('none')),
    ),
    section(
      'capacityTotals',
      capacity.length
        ? [
            h('p', { class: 'legend', 'aria-hidden': 'true' }, h('span', { class: 'swatch swatch-used' }), t('used'), ' ', h('span', { class: 'swatch swatch-available' }), t('available')),
            ...RESOURCES.filter((r) => capacity.some((c) => c.resource === r)).map((r) => capacityBar(sumCapacity(capacity, r), label('resource', r))),
            scrollTable(
              t('capacityTotals'),
              [t('resource'), t('recordId'), t('total'), t('used'), t('available'), t('visibility')],
              capacity.map((c) => [label('resource', c.resource), c.id, formatNumber(c.total), formatNumber(c.used), formatNumber(c.available), c.visibility ? label('vis', c.visibility) : '—']),
            ),
          ]
        : h('p', {}, t('none')),
    ),
    section(
      'ledProjects',
      (m.projects ?? []).length
        ? h(
            'div',
            { class: 'cards' },
            (m.projects ?? []).map((p) => projectCard(p)),
          )
        : h('p', {}, t('none')),
    ),
    section(
      'takesPartIn',
      partOf.length
        ? h(
            'div',
            { class: 'cards' },
            partOf.map((p) => projectCard(p)),
          )
        : h('p', {}, t('none')),
    ),
    section(
      'trainings',
      (m.trainings ?? []).length
        ? h(
            'div',
            { class: 'cards' },
            [...(m.trainings ?? [])].sort((a, b) => a.startsAt.localeCompare(b.startsAt)).map((x) => trainingCard(x)),
          )
        : h('p', {}, t('none')),
    ),
    memberRecordsSections(ctx, m.id),
  );
}
