import '../live/live.css';
import type { Capacity, NetworkData } from '../api';
import { h } from '../dom';
import { formatDateTime, formatTime } from '../format';
import { label, t } from '../i18n';
import type { LiveChange, LiveState } from '../live/live-changes';
import { badge, memberNames, memberRef, type ViewContext } from './common';

/** Follows changes of some kinds for as long as the view is shown (main.ts stops it when the view goes). */
export type Follow = (kinds: string[], handlers: { since?: string; onChange(change: LiveChange): void; onState(state: LiveState): void; onResync?(): void }) => { cursor(): string | undefined };

const CAPACITY_QUERY = /* GraphQL */ `
query LiveCapacity { capacity { id resource total used available visibility member { id } } }`;

/** How many recent incident changes the overview lists. */
export const RECENT_CHANGES = 20;

/**
 * What the overview has heard, kept across its re-renders for the same identity: the recent
 * changes and the cursor to resume after (so a re-render neither loses nor repeats a change).
 */
let memory: { identity: string; recent: LiveChange[]; cursor?: string } = { identity: '', recent: [] };

const identityOf = (data: NetworkData) => (data.viewer.anonymous ? 'anonymous' : `${data.viewer.member?.id ?? ''}|${data.viewer.subject ?? ''}`);

const STATE_TEXT: Record<LiveState, 'liveConnecting' | 'liveOn' | 'liveRetrying' | 'liveStopped'> = {
  connecting: 'liveConnecting',
  live: 'liveOn',
  retrying: 'liveRetrying',
  stopped: 'liveStopped',
};

/**
 * The overview's live part: a feed of incident changes as members record them, and the capacity
 * bars redrawn (from a fresh `capacity` answer) whenever a member changes a capacity record;
 * both over one SSE subscription, without reloading the page.
 */
export function liveOverview(ctx: ViewContext, follow: Follow, redrawCapacity: (capacity: Capacity[]) => void): HTMLElement {
  const { data, ask } = ctx;
  const names = memberNames(data);
  const identity = identityOf(data);
  if (memory.identity !== identity) memory = { identity, recent: [] };
  const status = h('p', { class: 'live-status', role: 'status', 'data-live': 'connecting' }, t('liveConnecting'));
  const capacityNote = h('p', { class: 'muted live-capacity', 'aria-live': 'polite' });
  const list = h('ol', { class: 'live-feed', 'aria-live': 'polite', 'aria-relevant': 'additions' });

  const item = (c: LiveChange) =>
    h(
      'li',
      { 'data-change': c.id, 'data-operation': c.operation },
      c.severity ? badge(label('severity', c.severity), c.severity === 'HIGH' || c.severity === 'CRITICAL' ? 'bad' : c.severity === 'MEDIUM' ? 'warn' : 'neutral') : null,
      ' ',
      memberRef(names, c.member),
      ' ',
      h('span', {}, c.operation === 'REMOVE' ? t('liveRemoved', { id: c.id }) : t('liveUpserted', { id: c.id })),
      ' ',
      h('time', { datetime: c.at, class: 'muted' }, formatDateTime(c.at)),
    );
  const drawList = () => list.replaceChildren(...(memory.recent.length ? memory.recent.map(item) : [h('li', { class: 'muted live-empty' }, t('liveNothingYet'))]));

  let capacityTimer: ReturnType<typeof setTimeout> | undefined;
  const refreshCapacity = () => {
    clearTimeout(capacityTimer);
    // several capacity changes in a burst (a bot reporting every resource) make one request
    capacityTimer = setTimeout(() => {
      ask<{ capacity: Capacity[] }>(CAPACITY_QUERY, {}, { fresh: true }).then(
        ({ data: fresh }) => {
          redrawCapacity(fresh.capacity);
          capacityNote.textContent = t('liveCapacityUpdated', { time: formatTime(new Date()) });
        },
        () => {
          capacityNote.textContent = t('liveCapacityFailed');
        },
      );
    }, 300);
  };

  const stream = follow(['INCIDENT', 'CAPACITY'], {
    since: memory.cursor,
    onChange(change) {
      memory.cursor = stream.cursor() ?? change.cursor;
      if (change.kind === 'CAPACITY') return refreshCapacity();
      if (change.kind !== 'INCIDENT') return;
      memory.recent = [change, ...memory.recent.filter((c) => c.cursor !== change.cursor)].slice(0, RECENT_CHANGES);
      drawList();
    },
    onState(state) {
      status.dataset.live = state;
      status.textContent = t(STATE_TEXT[state]);
    },
    onResync: refreshCapacity,
  });
  drawList();
  return h(
    'section',
    { class: 'panel live-panel', 'aria-labelledby': 'live-h', id: 'live-incidents' },
    h('h2', { id: 'live-h' }, t('liveIncidents')),
    status,
    h('p', { class: 'muted' }, t('liveNote'), ' ', h('a', { href: '#/incidents' }, t('incidents'))),
    list,
    capacityNote,
  );
}
