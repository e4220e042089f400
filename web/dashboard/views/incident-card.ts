import { h } from '../dom';
import { formatDateTime } from '../format';
import { label, t, tNodes } from '../i18n';
import type { Incident } from '../queries/incidents';
import { memberRef, tlpBadge } from './common';

const SEVERITY_TONE: Record<string, 'bad' | 'warn' | 'neutral'> = { CRITICAL: 'bad', HIGH: 'bad', MEDIUM: 'warn', LOW: 'neutral' };
const STATUS_TONE: Record<string, 'warn' | 'info' | 'good'> = { OPEN: 'warn', MITIGATED: 'info', CLOSED: 'good' };

/** One attack report: kind, severity, status, TLP label, who saw it and when, its summary and indicators (member text as text only). */
export function incidentCard(incident: Incident, names: ReadonlyMap<string, string>, level: 'h2' | 'h3' = 'h3'): HTMLElement {
  return h(
    'article',
    { class: 'card incident', 'data-incident': incident.id, 'data-severity': incident.severity },
    h(level, { class: 'card-title' }, label('incident', incident.kind)),
    h('p', { class: 'byline' }, tNodes('reportedBy', { member: memberRef(names, incident.member.id) }), ' · ', h('time', { datetime: incident.observedAt }, formatDateTime(incident.observedAt))),
    h(
      'p',
      { class: 'badges' },
      h('span', { class: `badge badge-${SEVERITY_TONE[incident.severity] ?? 'neutral'}`, 'data-field': 'severity' }, `${t('severity')}: ${label('severity', incident.severity)}`),
      h('span', { class: `badge badge-${STATUS_TONE[incident.status] ?? 'neutral'}`, 'data-field': 'status' }, label('istatus', incident.status)),
      tlpBadge(incident.visibility),
    ),
    incident.summary ? h('p', { class: 'summary' }, incident.summary) : null,
    h(
      'dl',
      { class: 'facts' },
      incident.mitigation ? [h('dt', {}, t('mitigation')), h('dd', {}, incident.mitigation)] : null,
      incident.indicators.length
        ? [
            h('dt', {}, t('indicators')),
            h(
              'dd',
              {},
              h(
                'ul',
                { class: 'indicator-list' },
                incident.indicators.map((i) => h('li', {}, h('span', { class: 'indicator-type' }, label('ioc', i.type)), ' ', h('code', {}, i.value))),
              ),
            ),
          ]
        : null,
    ),
  );
}
