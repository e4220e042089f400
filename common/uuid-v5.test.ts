import { URL_NAMESPACE, uuidV5 } from './uuid-v5';

describe('uuidV5', () => {
  it.each([
    // RFC 9562 appendix A.4 (DNS namespace) and values that Python's uuid.uuid5 gives
    ['www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8', '2ed6657d-e927-568b-95e1-2665a8aea6a2'],
    ['python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8', '886313e1-3b8a-5372-9b90-0c9aee199e5d'],
    ['http://python.org/', URL_NAMESPACE, '4c565f0d-3f5a-5890-b41b-20cf47701c5e'],
  ])('matches the published value for %s', (name, namespace, expected) => {
    expect(uuidV5(name, namespace)).toBe(expected);
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidV5('x', 'infrared')).toThrow(TypeError);
  });
});
