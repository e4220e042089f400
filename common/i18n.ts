import type { Translations } from './contract';

/**
 * Picks one translation. The order is: the requested language, the request's Accept-Language
 * preferences, the member's languages in order, then any available language (sorted, so the
 * choice is stable).
 * @example localize({ en: 'Mail', sq: 'Postë' }, { lang: 'sq', memberLanguages: ['en'] }) === 'Postë'
 */
export function localize(texts: Translations | null | undefined, prefs: { lang?: string | null; acceptLanguage?: readonly string[]; memberLanguages: readonly string[] }): string | null {
  if (!texts) return null;
  const keys = Object.keys(texts);
  if (keys.length === 0) return null;
  const wanted = [prefs.lang, ...(prefs.acceptLanguage ?? []), ...prefs.memberLanguages];
  for (const tag of wanted) {
    if (!tag) continue;
    const hit = matchTag(keys, tag);
    if (hit) return texts[hit];
  }
  return texts[keys.sort()[0]];
}

/** Exact tag first, then the primary subtag (`es-AR` matches `es`, and `es` matches `es-AR`). */
function matchTag(keys: string[], tag: string): string | undefined {
  const lower = tag.toLowerCase();
  const exact = keys.find((k) => k.toLowerCase() === lower);
  if (exact) return exact;
  const primary = lower.split('-')[0];
  return keys.find((k) => k.toLowerCase() === primary) ?? keys.find((k) => k.toLowerCase().split('-')[0] === primary);
}

/** Parses an Accept-Language header into tags by descending quality. */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((e) => e.tag && e.tag !== '*' && /^[A-Za-z0-9-]{1,35}$/.test(e.tag) && e.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((e) => e.tag);
}

/** All translations as a stable list (by language tag). */
export function translationsList(texts: Translations | null | undefined): { lang: string; text: string }[] {
  return Object.keys(texts ?? {})
    .sort()
    .map((lang) => ({ lang, text: (texts as Translations)[lang] }));
}
