import { GatewayError, type Answer, type Outage } from '../api';
import { h } from '../dom';
import { t } from '../i18n';

/**
 * Asks the gateway one more operation for a view, with the dashboard's token and language.
 * `fresh` skips the answers kept since the last refresh (a question the user asks again).
 */
export type Ask = <T>(query: string, variables?: Record<string, unknown>, opts?: { fresh?: boolean; signal?: AbortSignal }) => Promise<Answer<T>>;

/** What to tell a person about a failed request: a rate limit says how long to wait. */
export function describeError(err: unknown): string {
  if (err instanceof GatewayError && err.status === 429) return t('rateLimited', { seconds: err.retryAfter ?? 60 });
  return t('gatewayDown', { message: err instanceof Error ? err.message : String(err) });
}

/** Notices for the members that did not answer: their records are missing from what follows. */
export function outageNotices(outages: Outage[], names: ReadonlyMap<string, string>): HTMLElement[] {
  return outages.map((o) => {
    const member = names.get(o.member) ?? o.member;
    return h(
      'p',
      { class: 'notice notice-warn', role: 'alert', 'data-unavailable': o.member },
      h('strong', {}, o.reason === 'skipped' ? t('memberSkipped', { member }) : t('memberUnavailable', { member })),
      ' ',
      t('partialNote'),
    );
  });
}

/**
 * A part of a view filled by its own request: "loading" until the answer comes, then what
 * `show` makes of it, with a notice per member that did not answer; on failure the error and a
 * retry button. A newer `load` on the same section wins over an older one still in flight.
 */
export function remoteSection<T>(opts: { ask: () => Promise<Answer<T>>; show: (data: T) => Node | Node[]; names: ReadonlyMap<string, string>; attrs?: Record<string, string> }): {
  element: HTMLElement;
  load: (ask?: () => Promise<Answer<T>>) => void;
} {
  const element = h('div', { class: 'remote', 'aria-live': 'polite', ...opts.attrs });
  let current = opts.ask;
  let generation = 0;
  const load = (ask = current): void => {
    current = ask;
    const mine = ++generation;
    element.setAttribute('aria-busy', 'true');
    element.replaceChildren(h('p', { class: 'muted', role: 'status' }, t('loading')));
    ask().then(
      (answer) => {
        if (mine !== generation) return;
        const shown = opts.show(answer.data);
        element.replaceChildren(
          ...outageNotices(answer.outages, opts.names),
          ...answer.problems.map((p) => h('p', { class: 'notice notice-bad', role: 'alert' }, t('problem', { message: p }))),
          ...(Array.isArray(shown) ? shown : [shown]),
        );
        element.setAttribute('aria-busy', 'false');
      },
      (err: unknown) => {
        if (mine !== generation) return;
        const message = err instanceof GatewayError || err instanceof Error ? err.message : String(err);
        element.replaceChildren(
          h('div', { class: 'notice notice-bad', role: 'alert' }, t('gatewayDown', { message }), ' ', h('button', { type: 'button', class: 'button button-small', onclick: () => load() }, t('retry'))),
        );
        element.setAttribute('aria-busy', 'false');
      },
    );
  };
  load();
  return { element, load };
}
