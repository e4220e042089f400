import { h } from '../dom';
import { formatList } from '../format';
import { label, languageName, t, tNodes } from '../i18n';
import type { SupportItem } from '../queries/solidarity';
import { badge, memberRef, visibilityBadge } from './common';

/** A support offer or need: kind, title, who, languages, description (member text as text only). */
export function supportCard(item: SupportItem, side: 'offer' | 'need', names: ReadonlyMap<string, string>, level: 'h2' | 'h3' = 'h3'): HTMLElement {
  return h(
    'article',
    { class: `card support support-${side}`, [`data-${side}`]: item.id },
    h(level, { class: 'card-title' }, item.title),
    h('p', { class: 'byline' }, tNodes(side === 'offer' ? 'offeredBy' : 'neededBy', { member: memberRef(names, item.member.id) })),
    h('p', { class: 'badges' }, badge(label('support', item.kind), 'info'), item.open ? null : badge(t('closed')), visibilityBadge(item.visibility)),
    item.description ? h('p', {}, item.description) : null,
    h('dl', { class: 'facts' }, h('dt', {}, t('languages')), h('dd', {}, formatList(item.languages.map(languageName)))),
  );
}
