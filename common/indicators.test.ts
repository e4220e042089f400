import { classifyIndicator, normalizeIndicator } from './indicators';

describe('indicator normalisation', () => {
  it.each([
    ['IP', '203.0.113.7', '203.0.113.7'],
    ['IP', ' 203.0.113.7 ', '203.0.113.7'],
    ['IP', '2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['IP', '2001:db8::0:1', '2001:db8::1'],
    ['IP', '::ffff:192.0.2.1', '::ffff:c000:201'],
    ['CIDR', '203.0.113.99/24', '203.0.113.0/24'],
    ['CIDR', '10.1.2.3/8', '10.0.0.0/8'],
    ['CIDR', '2001:DB8:1::5/32', '2001:db8::/32'],
    ['CIDR', '0.0.0.0/0', '0.0.0.0/0'],
    ['DOMAIN', 'Example.ORG.', 'example.org'],
    ['DOMAIN', 'Bücher.Example', 'xn--bcher-kva.example'],
    ['DOMAIN', 'cörreo-seguro.example', 'xn--crreo-seguro-4ib.example'],
    ['URL', 'HTTP://Evil.Example/Path?q=1', 'http://evil.example/Path?q=1'],
    ['EMAIL', 'Ana@Bücher.Example', 'Ana@xn--bcher-kva.example'],
    ['HASH', 'D41D8CD98F00B204E9800998ECF8427E', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['HASH', 'da39a3ee5e6b4b0d3255bfef95601890afd80709', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['ASN', 'as64500', 'AS64500'],
    ['ASN', '64500', 'AS64500'],
  ])('%s %s → %s', (type, value, expected) => {
    expect(normalizeIndicator({ type, value })).toEqual({ type, value: expected });
  });

  it.each([
    ['IP', '300.1.2.3'],
    ['IP', 'example.org'],
    ['CIDR', '203.0.113.0/33'],
    ['CIDR', '203.0.113.0'],
    ['CIDR', '2001:db8::/129'],
    ['DOMAIN', '-bad-.example'],
    ['DOMAIN', 'localhost'],
    ['DOMAIN', '203.0.113.7'],
    ['URL', 'javascript:alert(1)'],
    ['URL', 'not a url'],
    ['EMAIL', 'no-at-sign.example'],
    ['HASH', 'abc'],
    ['HASH', 'z'.repeat(32)],
    ['ASN', 'AS99999999999'],
    ['NOPE', 'x'],
    ['IP', ''],
  ])('refuses %s %j', (type, value) => {
    expect(() => normalizeIndicator({ type, value })).toThrow();
  });

  it.each([
    ['203.0.113.7', 'IP'],
    ['2001:db8::1', 'IP'],
    ['203.0.113.0/24', 'CIDR'],
    ['d41d8cd98f00b204e9800998ecf8427e', 'HASH'],
    ['AS64500', 'ASN'],
    ['https://evil.example/x', 'URL'],
    ['x@evil.example', 'EMAIL'],
    ['Evil.Example.', 'DOMAIN'],
  ])('classifies the search term %s as %s', (term, type) => {
    expect(classifyIndicator(term).type).toBe(type);
  });
});
