import { compareKeys, memberKey } from './member-keys';

describe('member keys', () => {
  const c = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  it('reads key tuples and refuses anything else', () => {
    expect(memberKey(c([-1700000000000, 'a.b']))).toEqual([-1700000000000, 'a.b']);
    for (const bad of [c('x'), c([]), c([{}]), c([null]), c(Array(9).fill(1)), c(['x'.repeat(257)]), 'not!base64', 42]) expect(memberKey(bad)).toBeUndefined();
  });

  it('compares by code point and numerically, part by part', () => {
    expect(compareKeys(['a.b'], ['a_b'])).toBeLessThan(0);
    expect(compareKeys(['a_b'], ['ab'])).toBeLessThan(0);
    expect(compareKeys(['\uffff'], ['\u{10000}'])).toBeLessThan(0); // UTF-16 order would say otherwise
    expect(compareKeys([-5, 'b'], [-5, 'a'])).toBeGreaterThan(0);
    expect(compareKeys([-10, 'z'], [-5, 'a'])).toBeLessThan(0);
    expect(compareKeys(['a'], ['a', 'b'])).toBeNaN();
  });
});
