import { localize, parseAcceptLanguage, translationsList } from './i18n';

describe('localize', () => {
  const texts = { en: 'Mail', sq: 'Postë', es: 'Correo' };

  it.each([
    ['the requested language first', { lang: 'sq', acceptLanguage: ['es'], memberLanguages: ['en'] }, 'Postë'],
    ['then Accept-Language, in order', { lang: null, acceptLanguage: ['de', 'es', 'sq'], memberLanguages: ['en'] }, 'Correo'],
    ['Accept-Language when the requested language is missing', { lang: 'fr', acceptLanguage: ['sq'], memberLanguages: ['en'] }, 'Postë'],
    ['then the member languages, in order', { lang: 'fr', acceptLanguage: ['de'], memberLanguages: ['it', 'es', 'en'] }, 'Correo'],
    ['member languages when nothing else is given', { memberLanguages: ['sq'] }, 'Postë'],
    ['an empty requested language is skipped', { lang: '', acceptLanguage: ['es'], memberLanguages: [] }, 'Correo'],
  ])('%s', (_name, prefs, expected) => {
    expect(localize(texts, prefs)).toBe(expected);
  });

  it('falls back to any language, sorted by tag, whatever order the texts were written in', () => {
    const prefs = { lang: 'fr', acceptLanguage: ['de'], memberLanguages: ['it'] };
    expect(localize({ sq: 'Postë', en: 'Mail', es: 'Correo' }, prefs)).toBe('Mail');
    expect(localize({ es: 'Correo', sq: 'Postë', en: 'Mail' }, prefs)).toBe('Mail');
    expect(localize({ sq: 'Postë', es: 'Correo' }, prefs)).toBe('Correo');
  });

  it.each([
    ['a regional request matches the primary tag', { es: 'Hola' }, 'es-AR', 'Hola'],
    ['a primary request matches a regional text', { 'es-AR': 'Che' }, 'es', 'Che'],
    ['two regions share the primary tag', { 'es-AR': 'Che', en: 'Hi' }, 'es-MX', 'Che'],
    ['an exact match beats a primary match', { es: 'Hola', 'es-AR': 'Che' }, 'es-AR', 'Che'],
    ['the bare primary beats another region', { 'es-MX': 'Órale', es: 'Hola' }, 'es-AR', 'Hola'],
    ['matching ignores case', { 'ES-ar': 'Che', en: 'Hi' }, 'es-AR', 'Che'],
    ['matching ignores case of the request', { sq: 'Postë', en: 'Mail' }, 'SQ', 'Postë'],
  ])('%s', (_name, texts, lang, expected) => {
    expect(localize(texts, { lang, memberLanguages: ['en'] })).toBe(expected);
  });

  it('prefers a primary-subtag match of an earlier preference over an exact match of a later one', () => {
    expect(localize({ 'es-AR': 'Che', en: 'Hi' }, { lang: 'es-MX', acceptLanguage: ['en'], memberLanguages: [] })).toBe('Che');
  });

  it('does not match on a shared prefix that is not a subtag', () => {
    // "e" is not the primary subtag of "en"
    expect(localize({ en: 'Hi', sq: 'Tung' }, { lang: 'e', memberLanguages: ['sq'] })).toBe('Tung');
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['no translations', {}],
  ])('answers null for %s', (_name, texts) => {
    expect(localize(texts, { lang: 'en', memberLanguages: ['en'] })).toBeNull();
  });
});

describe('parseAcceptLanguage', () => {
  it.each([
    ['no header', undefined, []],
    ['an empty header', '', []],
    ['one tag', 'sq', ['sq']],
    ['tags in header order when q is equal', 'sq, en, es', ['sq', 'en', 'es']],
    ['tags by descending q-value', 'en;q=0.5, sq, es-AR;q=0.8', ['sq', 'es-AR', 'en']],
    ['equal q-values keep header order', 'de;q=0.7, fr;q=0.7, it;q=0.9', ['it', 'de', 'fr']],
    ['the RFC example, without the wildcard', 'fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5', ['fr-CH', 'fr', 'en', 'de']],
    ['a lone wildcard', '*', []],
    ['q=0 means "not acceptable"', 'en;q=0, sq', ['sq']],
    ['spaces around parts and parameters', '  en ; q=0.4 ,sq ;q=0.6 ', ['sq', 'en']],
    ['other parameters are ignored', 'en;level=1;q=0.5, sq', ['sq', 'en']],
    ['a q-value that is not a number', 'en;q=abc, sq', ['sq']],
    ['an empty q-value', 'en;q=, sq', ['sq']],
    ['garbage tags', '<script>, en_US, , ;q=1, "sq", es', ['es']],
    ['a tag longer than 35 characters', `${'a'.repeat(36)}, en`, ['en']],
  ])('%s', (_name, header, expected) => {
    expect(parseAcceptLanguage(header)).toEqual(expected);
  });

  it('is bounded: only the first 20 entries of a very long header count', () => {
    const entries = Array.from({ length: 5000 }, (_, i) => `x${i.toString(36)};q=0.${(i % 9) + 1}`);
    entries.push('sq;q=1');
    const started = Date.now();
    const tags = parseAcceptLanguage(entries.join(', '));
    expect(Date.now() - started).toBeLessThan(500);
    expect(tags).toHaveLength(20);
    expect(tags).not.toContain('sq');
    expect(new Set(tags)).toEqual(new Set(entries.slice(0, 20).map((e) => e.split(';')[0])));
  });

  it('is bounded for one huge tag too', () => {
    expect(parseAcceptLanguage('a'.repeat(1_000_000))).toEqual([]);
  });
});

describe('translationsList', () => {
  it('lists translations sorted by tag, and nothing for null', () => {
    expect(translationsList({ sq: 'Postë', en: 'Mail' })).toEqual([
      { lang: 'en', text: 'Mail' },
      { lang: 'sq', text: 'Postë' },
    ]);
    expect(translationsList(null)).toEqual([]);
  });
});
