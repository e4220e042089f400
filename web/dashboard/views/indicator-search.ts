import { h } from '../dom';
import { formatNumber } from '../format';
import { lang, t } from '../i18n';
import { INCIDENTS_QUERY, newestFirst, type IncidentQueryFilter, type IncidentsData } from '../queries/incidents';
import { heading, memberNames, type ViewContext } from './common';
import { incidentCard } from './incident-card';
import { remoteSection } from './remote';

/** The longest indicator the form sends (a URL with a long path is the longest kind). */
export const MAX_INDICATOR_LENGTH = 2048;

/**
 * "Has anyone seen this?": one IP, CIDR, domain, URL, e-mail address, hash or AS number, asked
 * of every member (or of one), which each answer from their own incidents (an IP also matches
 * inside the ranges they reported). The note before the form says who sees the question. The
 * indicator is not put in the address bar or the history: it is sent once, on submit.
 */
export function indicatorSearchView({ data, ask }: ViewContext): HTMLElement {
  const names = memberNames(data);
  const input = h('input', {
    id: 'indicator',
    name: 'indicator',
    type: 'search',
    required: true,
    maxlength: MAX_INDICATOR_LENGTH,
    autocomplete: 'off',
    spellcheck: 'false',
    autocapitalize: 'off',
    placeholder: t('indicatorHint'),
    'aria-describedby': 'indicator-privacy',
  });
  const target = h(
    'select',
    { id: 'indicator-members', name: 'members' },
    h('option', { value: '' }, t('everyMember')),
    [...data.members].sort((a, b) => a.name.localeCompare(b.name)).map((m) => h('option', { value: m.id }, m.name)),
  );
  const outcome = h('div', { class: 'indicator-outcome', id: 'indicator-outcome' });
  const message = h('p', { class: 'field-message', role: 'status', 'aria-live': 'polite' });

  const search = (e: Event) => {
    e.preventDefault();
    const indicator = input.value.trim();
    if (!indicator) {
      message.textContent = t('indicatorEmpty');
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    input.removeAttribute('aria-invalid');
    message.textContent = '';
    const filter: IncidentQueryFilter = { indicator };
    if (target.value) filter.members = [target.value];
    const asked = target.value ? [names.get(target.value) ?? target.value] : data.members.map((m) => m.name);
    const section = remoteSection({
      ask: () => ask<IncidentsData>(INCIDENTS_QUERY, { filter, lang: lang() }, { fresh: true }),
      names,
      attrs: { 'data-indicator-results': '' },
      show: ({ incidents }) => {
        const found = newestFirst(incidents);
        const summary: Node[] = [
          h('p', { class: 'result-count', 'data-found': String(found.length) }, found.length ? t('indicatorSeen', { count: formatNumber(found.length) }) : t('indicatorNotSeen')),
          h('p', { class: 'muted' }, t('indicatorAsked', { count: formatNumber(asked.length) })),
        ];
        return found.length
          ? [
              ...summary,
              h(
                'div',
                { class: 'cards' },
                found.map((i) => incidentCard(i, names, 'h3')),
              ),
            ]
          : summary;
      },
    });
    outcome.replaceChildren(h('h2', { id: 'indicator-answer' }, t('indicatorAnswer')), section.element);
  };

  return h(
    'div',
    { class: 'view view-indicators' },
    heading('h1', t('indicatorSearch')),
    h('p', {}, t('indicatorIntro')),
    h(
      'form',
      { class: 'panel indicator-form', role: 'search', 'aria-label': t('indicatorSearch'), onsubmit: search, novalidate: true },
      h('p', { class: 'notice notice-info privacy-note', id: 'indicator-privacy' }, t('indicatorPrivacy')),
      h('div', { class: 'field field-search' }, h('label', { for: 'indicator' }, t('indicator')), input),
      h('div', { class: 'field' }, h('label', { for: 'indicator-members' }, t('askWhom')), target),
      message,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button', id: 'indicator-submit' }, t('askNetwork'))),
    ),
    outcome,
  );
}
