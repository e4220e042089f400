/**
 * A tiny element builder. Text always goes in as text nodes (never innerHTML): member data is
 * untrusted input, and this keeps it from ever becoming markup.
 */
type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg(tag: string, attrs: Attrs = {}, ...children: Child[]): SVGElement {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el: Element, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
}

function append(el: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(typeof child === 'number' ? String(child) : child);
  }
}

/** Only http(s) links from member data become links; anything else (javascript:, data:) stays text. */
export function safeHref(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** A link that leaves the dashboard: opened only by the user, without referrer or opener. */
export function externalLink(url: string | null | undefined, text?: string): Node {
  const href = safeHref(url);
  if (!href) return document.createTextNode(text ?? url ?? '');
  return h('a', { href, rel: 'noopener noreferrer nofollow', referrerpolicy: 'no-referrer', target: '_blank' }, text ?? new URL(href).host);
}

/** A table wrapped so that it scrolls sideways on narrow screens (and with the keyboard). */
export function scrollTable(caption: string, head: string[], rows: Child[][], opts: { rowHeaders?: boolean } = {}): HTMLElement {
  const table = h(
    'table',
    {},
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        head.map((col) => h('th', { scope: 'col' }, col)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((cells) =>
        h(
          'tr',
          {},
          cells.map((cell, i) => (i === 0 && opts.rowHeaders !== false ? h('th', { scope: 'row' }, cell) : h('td', {}, cell))),
        ),
      ),
    ),
  );
  return h('div', { class: 'table-scroll', role: 'region', 'aria-label': caption, tabindex: 0 }, table);
}
