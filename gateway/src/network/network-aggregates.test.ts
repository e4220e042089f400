import fc from 'fast-check';
import { matchSupport } from './network-aggregates';

type Item = { id: string; kind: string; languages: string[]; member: { id: string } };

/** The plain reading: every need against every offer, in order. */
function pairEverything(needs: Item[], offers: Item[]) {
  const base = (l: string) => l.split('-')[0].toLowerCase();
  const out = [];
  for (const need of needs) {
    for (const offer of offers) {
      if (offer.kind !== need.kind || offer.member.id === need.member.id) continue;
      const shared = need.languages.filter((l) => offer.languages.some((o) => base(o) === base(l)));
      if (shared.length) out.push({ need: { __typename: 'SupportNeed', id: need.id }, offer: { __typename: 'SupportOffer', id: offer.id }, kind: need.kind, languages: shared });
    }
  }
  return out;
}

const item = (prefix: string) =>
  fc
    .record({
      kind: fc.constantFrom('HOSTING', 'TRAINING', 'FUNDING'),
      languages: fc.array(fc.constantFrom('en', 'en-GB', 'EN', 'es', 'sq', 'pt-BR', 'pt'), { maxLength: 3 }),
      member: fc.record({ id: fc.constantFrom('a', 'b', 'c') }),
    })
    .map((x) => ({ ...x, id: prefix }));

describe('matchSupport', () => {
  it('finds exactly the pairs that pairing everything finds, in the same order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(item('n'), { maxLength: 25 }), fc.array(item('o'), { maxLength: 25 }), async (needs, offers) => {
        needs.forEach((n, i) => (n.id = `${n.member.id}:n${i}`));
        offers.forEach((o, i) => (o.id = `${o.member.id}:o${i}`));
        expect(await matchSupport(needs, offers, 10_000)).toEqual(pairEverything(needs, offers));
      }),
      { numRuns: 300 },
    );
  });

  it('stops at the cap, and its work does not grow with needs × offers of one member', async () => {
    const many = (prefix: string, member: string) => Array.from({ length: 20_000 }, (_, i) => ({ id: `${member}:${prefix}${i}`, kind: 'HOSTING', languages: ['en'], member: { id: member } }));
    // 400 million same-member pairs: none matches, and none is visited (pairing everything would
    // run them all, far past the test's timeout)
    expect(await matchSupport(many('n', 'a'), many('o', 'a'), 1000)).toEqual([]);
    const capped = await matchSupport(many('n', 'a'), many('o', 'b'), 1000);
    expect(capped).toHaveLength(1000);
    expect(capped[999]).toMatchObject({ need: { id: 'a:n0' }, offer: { id: 'b:o999' } });
  });
});
