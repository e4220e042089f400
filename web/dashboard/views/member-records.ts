import { h } from '../dom';
import { lang, t } from '../i18n';
import { newestFirst } from '../queries/incidents';
import { MEMBER_RECORDS_QUERY, type MemberRecordsData } from '../queries/member-records';
import { memberNames, type ViewContext } from './common';
import { incidentCard } from './incident-card';
import { remoteSection } from './remote';
import { supportCard } from './support-card';

/** The member page's incidents, support offers and support needs, asked when the page opens. */
export function memberRecordsSections({ data, ask }: ViewContext, memberId: string): HTMLElement {
  const names = memberNames(data);
  const section = (key: 'incidents' | 'supportOffers' | 'supportNeeds', content: Node) =>
    h('section', { class: 'panel', 'aria-labelledby': `m-${key}`, 'data-section': key }, h('h2', { id: `m-${key}` }, t(key)), content);
  const cards = (nodes: HTMLElement[]) => (nodes.length ? h('div', { class: 'cards' }, nodes) : h('p', {}, t('none')));
  const mine = <T extends { member: { id: string } }>(items: T[]) => items.filter((i) => i.member.id === memberId);
  return remoteSection({
    ask: () => ask<MemberRecordsData>(MEMBER_RECORDS_QUERY, { member: memberId, lang: lang() }),
    names,
    attrs: { class: 'remote member-records' },
    show: ({ incidents, supportOffers, supportNeeds }) => [
      section('incidents', cards(newestFirst(mine(incidents)).map((i) => incidentCard(i, names)))),
      section('supportOffers', cards(mine(supportOffers).map((o) => supportCard(o, 'offer', names)))),
      section('supportNeeds', cards(mine(supportNeeds).map((n) => supportCard(n, 'need', names)))),
    ],
  }).element;
}
