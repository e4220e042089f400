import { h } from '../dom';
import { formatList, formatNumber } from '../format';
import { label, lang, languageName, t } from '../i18n';
import { baseLanguage, SOLIDARITY_QUERY, speaks, SUPPORT_KINDS, type SolidarityData, type SupportItem, type SupportMatch } from '../queries/solidarity';
import { heading, memberNames, memberRef, type ViewContext } from './common';
import { remoteSection } from './remote';
import { supportCard } from './support-card';

export interface SolidarityFilters {
  kind: string;
  /** A base language (`fr`): records in it, and matches that share it. */
  language: string;
}

export function parseSolidarityFilters(params: URLSearchParams): SolidarityFilters {
  const kind = params.get('kind') ?? '';
  return { kind: (SUPPORT_KINDS as readonly string[]).includes(kind) ? kind : '', language: baseLanguage(params.get('language') ?? '') };
}

function filtersToHash(f: SolidarityFilters): string {
  const params = new URLSearchParams();
  if (f.kind) params.set('kind', f.kind);
  if (f.language) params.set('language', f.language);
  const query = params.toString();
  return `#/solidarity${query ? `?${query}` : ''}`;
}

/** Solidarity: who needs what, who offers it, and the gateway's matches between them, by kind and language. */
export function solidarityView({ data, ask }: ViewContext, initial: SolidarityFilters): HTMLElement {
  const names = memberNames(data);
  const filters = { ...initial };
  const languageSelect = h('select', {
    id: 's-language',
    name: 'language',
    onchange: (e: Event) => {
      Object.assign(filters, { language: (e.target as HTMLSelectElement).value });
      history.replaceState(null, '', filtersToHash(filters));
      results.load(); // the same answer (kept since the last refresh), shown for another language
    },
  });
  const fillLanguages = (items: SupportItem[]) => {
    const languages = [...new Set([...items.flatMap((i) => i.languages.map(baseLanguage)), ...(filters.language ? [filters.language] : [])])].sort((a, b) =>
      languageName(a).localeCompare(languageName(b)),
    );
    languageSelect.replaceChildren(h('option', { value: '' }, t('all')), ...languages.map((l) => h('option', { value: l, selected: filters.language === l }, languageName(l))));
  };

  const show = ({ supportOffers, supportNeeds, supportMatches }: SolidarityData): Node[] => {
    fillLanguages([...supportOffers, ...supportNeeds]);
    const inLanguage = (items: SupportItem[]) => (filters.language ? items.filter((i) => speaks(i.languages, filters.language)) : items);
    const offers = inLanguage(supportOffers);
    const needs = inLanguage(supportNeeds);
    const matches = filters.language ? supportMatches.filter((m) => speaks(m.languages, filters.language)) : supportMatches;
    const offerById = new Map(supportOffers.map((o) => [o.id, o]));
    const needById = new Map(supportNeeds.map((n) => [n.id, n]));
    const list = (items: SupportItem[], side: 'offer' | 'need') =>
      items.length
        ? h(
            'div',
            { class: 'cards' },
            items.map((i) => supportCard(i, side, names)),
          )
        : h('p', {}, t('none'));
    return [
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 's-matches', 'data-section': 'matches' },
        h('h2', { id: 's-matches' }, t('supportMatches'), ' ', h('span', { class: 'count' }, `(${formatNumber(matches.length)})`)),
        h('p', { class: 'muted' }, t('supportMatchesNote')),
        matches.length
          ? h(
              'ul',
              { class: 'match-list' },
              matches.map((m) => matchItem(m, needById.get(m.need.id), offerById.get(m.offer.id), names)),
            )
          : h('p', {}, t('noMatches')),
      ),
      h(
        'div',
        { class: 'two-col' },
        h(
          'section',
          { class: 'panel', 'aria-labelledby': 's-needs', 'data-section': 'needs' },
          h('h2', { id: 's-needs' }, t('supportNeeds'), ' ', h('span', { class: 'count' }, `(${formatNumber(needs.length)})`)),
          list(needs, 'need'),
        ),
        h(
          'section',
          { class: 'panel', 'aria-labelledby': 's-offers', 'data-section': 'offers' },
          h('h2', { id: 's-offers' }, t('supportOffers'), ' ', h('span', { class: 'count' }, `(${formatNumber(offers.length)})`)),
          list(offers, 'offer'),
        ),
      ),
    ];
  };
  const query = () => ask<SolidarityData>(SOLIDARITY_QUERY, { kind: filters.kind || null, lang: lang() });
  const results = remoteSection({ ask: query, show, names, attrs: { id: 'solidarity-results' } });

  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': t('filters'), onsubmit: (e: Event) => e.preventDefault() },
    h(
      'div',
      { class: 'field' },
      h('label', { for: 's-kind' }, t('supportKind')),
      h(
        'select',
        {
          id: 's-kind',
          name: 'kind',
          onchange: (e: Event) => {
            Object.assign(filters, { kind: (e.target as HTMLSelectElement).value });
            history.replaceState(null, '', filtersToHash(filters));
            results.load(query);
          },
        },
        h('option', { value: '' }, t('all')),
        SUPPORT_KINDS.map((k) => h('option', { value: k, selected: filters.kind === k }, label('support', k))),
      ),
    ),
    h('div', { class: 'field' }, h('label', { for: 's-language' }, t('languages')), languageSelect),
  );
  fillLanguages([]);
  return h('div', { class: 'view view-solidarity' }, heading('h1', t('solidarity')), h('p', { class: 'muted' }, t('solidarityIntro')), form, results.element);
}

/** One match: the need, the offer, both members and the languages they share. */
function matchItem(match: SupportMatch, need: SupportItem | undefined, offer: SupportItem | undefined, names: ReadonlyMap<string, string>): HTMLElement {
  const side = (key: 'matchNeed' | 'matchOffer', item: SupportItem | undefined, id: string) =>
    h(
      'div',
      { class: 'match-side' },
      h('p', { class: 'match-label muted' }, t(key)),
      h('p', { class: 'match-title' }, item?.title ?? id),
      item ? h('p', { class: 'byline' }, memberRef(names, item.member.id)) : null,
    );
  return h(
    'li',
    { class: 'card match', 'data-match': `${match.need.id}|${match.offer.id}`, 'data-kind': match.kind },
    side('matchNeed', need, match.need.id),
    h('p', { class: 'match-arrow', 'aria-hidden': 'true' }, '⇄'),
    side('matchOffer', offer, match.offer.id),
    h('p', { class: 'match-facts' }, `${label('support', match.kind)} · ${t('sharedLanguages')}: ${formatList(match.languages.map(languageName))}`),
  );
}
