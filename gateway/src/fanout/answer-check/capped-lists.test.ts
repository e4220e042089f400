import { cappedLists } from './capped-lists';

describe("a member's extensions.capped (untrusted)", () => {
  it('passes on response keys and the cap', () => {
    expect(cappedLists({ fields: ['services', 'big', 'services'], limit: 1000 })).toEqual({ capped: ['services', 'big'], limit: 1000 });
  });

  it.each([
    ['nothing', undefined],
    ['a string', 'services'],
    ['no fields', { fields: [], limit: 1000 }],
    ['a field that is not a response key', { fields: ['a b'], limit: 1000 }],
    ['a field that is not a string', { fields: [{}], limit: 1000 }],
    ['too many fields', { fields: Array.from({ length: 51 }, (_, i) => `f${i}`), limit: 1000 }],
    ['a negative cap', { fields: ['services'], limit: -1 }],
    ['a huge cap', { fields: ['services'], limit: 1e12 }],
  ])('ignores %s', (_name, value) => {
    expect(cappedLists(value)).toBeUndefined();
  });
});
