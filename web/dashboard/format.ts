import { intlKnows, lang, t } from './i18n';

/**
 * Numbers, dates and lists in the interface language. Where the browser has no Intl data for it
 * (Chromium and Albanian), the Albanian conventions are applied by hand: 4 320,5 · 26.11.2026, 10:42 · A, B dhe C.
 */
const handmade = () => lang() === 'sq' && !intlKnows('sq');

export function formatNumber(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined) return t('hidden');
  if (!handmade()) return new Intl.NumberFormat(lang(), { maximumFractionDigits: digits }).format(value);
  return new Intl.NumberFormat('en', { maximumFractionDigits: digits })
    .formatToParts(value)
    .map((p) => (p.type === 'group' ? '\u00a0' : p.type === 'decimal' ? ',' : p.value))
    .join('');
}

const pad = (n: number) => String(n).padStart(2, '0');

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return t('never');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return t('unknown');
  if (handmade()) return `${date.getDate()}.${date.getMonth() + 1}.${date.getFullYear()}, ${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return new Intl.DateTimeFormat(lang(), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatTime(date: Date): string {
  if (handmade()) return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return new Intl.DateTimeFormat(lang(), { timeStyle: 'medium' }).format(date);
}

export function formatList(items: string[]): string {
  if (handmade()) return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} dhe ${items[items.length - 1]}`;
  return new Intl.ListFormat(lang(), { style: 'long', type: 'conjunction' }).format(items);
}
