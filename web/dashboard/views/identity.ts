import { boundThumbprint, callerKey, publicJwkText } from '../../shared/caller-key';
import type { NetworkData, Visibility } from '../api';
import { h, scrollTable } from '../dom';
import { formatList, formatNumber } from '../format';
import { label, t } from '../i18n';
import { allCapacity, allProjects, allServices, heading, type ViewContext } from './common';

export interface IdentityActions {
  hasToken: boolean;
  /** The stored token, to say whether it is bound to this browser's key (never shown). */
  token?: string;
  /** The feedback of the last action (accepted, refused, forgotten). */
  message?: { text: string; tone: 'good' | 'bad' | 'info' };
  useToken(token: string): void;
  forget(): void;
}

const LEVELS: Visibility[] = ['PUBLIC', 'NETWORK', 'MEMBERS', 'OWNER'];

export function identityCard(data: NetworkData): HTMLElement {
  const v = data.viewer;
  return h(
    'dl',
    { class: 'facts facts-wide identity-facts' },
    h('dt', {}, t('viewingAs')),
    h('dd', { 'data-identity': v.anonymous ? 'anonymous' : 'member' }, v.anonymous ? t('anonymous') : (v.member?.name ?? v.member?.id ?? '?')),
    v.anonymous ? null : [h('dt', {}, t('subject')), h('dd', {}, v.subject ?? '—'), h('dt', {}, t('scopes')), h('dd', {}, formatList(v.scopes))],
  );
}

/**
 * This browser's caller key: its public JWK (with a copy button) and thumbprint, to send to the
 * member that issues tokens (`infrared token --bind`), and whether the current token is bound to it.
 * Filled in once the key is read from IndexedDB (or made, the first time).
 */
function callerKeyPanel(token: string | undefined): HTMLElement {
  const jwk = h('code', { id: 'caller-jwk', class: 'caller-jwk' }, '…');
  const thumbprint = h('code', { id: 'caller-thumbprint' }, '…');
  const status = h('p', { role: 'status', id: 'caller-key-status' });
  const copy = h('button', { type: 'button', class: 'button button-secondary', id: 'copy-caller-jwk', disabled: true }, t('callerKeyCopy'));
  const panel = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'id-key', 'aria-busy': 'true', id: 'caller-key' },
    h('h2', { id: 'id-key' }, t('callerKeyTitle')),
    h('p', {}, t('callerKeyHelp')),
    h('dl', { class: 'facts facts-wide' }, h('dt', {}, t('callerKeyPublic')), h('dd', {}, jwk), h('dt', {}, t('callerKeyThumbprint')), h('dd', {}, thumbprint)),
    h('div', { class: 'actions' }, copy),
    status,
  );
  callerKey().then(
    (key) => {
      const text = publicJwkText(key.publicJwk);
      jwk.textContent = text;
      thumbprint.textContent = key.thumbprint;
      panel.dataset.thumbprint = key.thumbprint;
      copy.disabled = false;
      copy.onclick = () =>
        void navigator.clipboard.writeText(text).then(
          () => (status.textContent = t('callerKeyCopied')),
          () => window.getSelection()?.selectAllChildren(jwk),
        );
      const jkt = token ? boundThumbprint(token) : undefined;
      if (jkt) {
        const bound = jkt === key.thumbprint;
        status.textContent = t(bound ? 'tokenBound' : 'tokenBoundElsewhere');
        status.className = `notice notice-${bound ? 'good' : 'bad'}`;
        panel.dataset.binding = bound ? 'this-key' : 'other-key';
      }
      panel.setAttribute('aria-busy', 'false');
    },
    () => {
      jwk.textContent = thumbprint.textContent = '—';
      status.textContent = t('callerKeyUnavailable');
      status.className = 'notice notice-bad';
      panel.setAttribute('aria-busy', 'false');
    },
  );
  return panel;
}

export function identityView({ data }: ViewContext, actions: IdentityActions): HTMLElement {
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off', 'aria-describedby': 'token-help' });
  const count = (items: { visibility?: Visibility }[]) => LEVELS.map((l) => items.filter((i) => i.visibility === l).length);
  const rows: [string, number[]][] = [
    [t('services'), count(allServices(data).map((e) => ({ visibility: e.service.visibility })))],
    [t('capacityTotals'), count(allCapacity(data))],
    [t('projects'), count(allProjects(data))],
  ];
  return h(
    'div',
    { class: 'view view-identity' },
    heading('h1', t('tokenTitle')),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'id-current' },
      h('h2', { id: 'id-current' }, t('currentIdentity')),
      identityCard(data),
      data.viewer.anonymous ? h('p', { class: 'muted' }, t('anonymousExplain')) : null,
    ),
    h(
      'form',
      {
        class: 'panel token-form',
        'aria-labelledby': 'id-form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          actions.useToken(input.value);
          input.value = '';
        },
      },
      h('h2', { id: 'id-form' }, t('identity')),
      h('p', { id: 'token-help' }, t('tokenHelp')),
      h('div', { class: 'field' }, h('label', { for: 'token' }, t('tokenLabel')), input),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', class: 'button' }, t('useToken')),
        h('button', { type: 'button', class: 'button button-secondary', id: 'forget-token', disabled: !actions.hasToken, onclick: () => actions.forget() }, t('forget')),
      ),
      actions.message ? h('p', { class: `notice notice-${actions.message.tone}`, role: 'status' }, actions.message.text) : null,
    ),
    callerKeyPanel(actions.token),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'id-sees' },
      h('h2', { id: 'id-sees' }, t('whatYouSee')),
      scrollTable(
        t('recordsByVisibility'),
        [t('record'), ...LEVELS.map((l) => label('vis', l)), t('total')],
        rows.map(([name, counts]) => [name, ...counts.map((c) => formatNumber(c)), formatNumber(counts.reduce((a, b) => a + b, 0))]),
      ),
    ),
  );
}
