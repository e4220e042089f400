import { ifNoneMatchHits, weakEtag } from './conditional';

describe('conditional requests', () => {
  it('gives the same weak tag for the same meaning, a different one otherwise', () => {
    expect(weakEtag('{"a":1}')).toBe(weakEtag('{"a":1}'));
    expect(weakEtag('{"a":1}')).not.toBe(weakEtag('{"a":2}'));
    expect(weakEtag('x')).toMatch(/^W\/"[A-Za-z0-9_-]{43}"$/);
  });

  it('matches If-None-Match by the weak comparison: lists, *, weak or strong forms', () => {
    const tag = weakEtag('x');
    const opaque = tag.slice(2);
    expect(ifNoneMatchHits(tag, tag)).toBe(true);
    expect(ifNoneMatchHits(opaque, tag)).toBe(true);
    expect(ifNoneMatchHits(`W/"other", ${tag}`, tag)).toBe(true);
    expect(ifNoneMatchHits('*', tag)).toBe(true);
    expect(ifNoneMatchHits(undefined, tag)).toBe(false);
    expect(ifNoneMatchHits('', tag)).toBe(false);
    expect(ifNoneMatchHits('W/"other"', tag)).toBe(false);
    expect(ifNoneMatchHits(tag.slice(0, -2) + '"', tag)).toBe(false);
  });
});
