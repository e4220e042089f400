import { assembleEntities, entityOwner, groupRepresentations, type EntityGroup, type Representation } from './entities';
import type { SubgraphError } from './merge';

const registered = new Set(['a', 'b', 'c']);
const isMember = (id: string) => registered.has(id);

const svc = (id: unknown): Representation => ({ __typename: 'Service', id });
const member = (id: unknown): Representation => ({ __typename: 'Member', id });

/** What a member would answer for its group: one entity per representation, named after its id. */
const answerFor = (group: EntityGroup) => group.representations.map((r) => ({ id: r.id, answeredBy: group.member }));

describe('entityOwner', () => {
  it.each([
    ['a prefixed Service id', svc('kafshata:mail'), 'kafshata'],
    ['a prefixed Capacity id', { __typename: 'Capacity', id: 'nodo-sur:cpu:1' }, 'nodo-sur'],
    ['an id without prefix', svc('mail'), undefined],
    ['an id starting with a colon', svc(':mail'), undefined],
    ['a non-string id', svc(42), undefined],
    ['no id at all', { __typename: 'Project' }, undefined],
    ['a Member: the id itself', member('kafshata'), 'kafshata'],
    ['a Member whose id has a colon: still the id itself', member('a:b'), 'a:b'],
    ['a Member with a non-string id', member(7), undefined],
  ] as [string, Representation, string | undefined][])('%s', (_name, rep, owner) => {
    expect(entityOwner(rep)).toBe(owner);
  });
});

describe('groupRepresentations', () => {
  it('groups interleaved owners, remembering the original positions', () => {
    const reps = [svc('a:1'), svc('b:1'), svc('a:2'), svc('c:1')];
    expect(groupRepresentations(reps, isMember)).toEqual([
      { member: 'a', indices: [0, 2], representations: [svc('a:1'), svc('a:2')] },
      { member: 'b', indices: [1], representations: [svc('b:1')] },
      { member: 'c', indices: [3], representations: [svc('c:1')] },
    ]);
  });

  it('leaves out unregistered owners and ids without prefix', () => {
    const reps = [svc('zz:1'), svc('noprefix'), svc('b:1'), member('nobody'), svc(null)];
    expect(groupRepresentations(reps, isMember)).toEqual([{ member: 'b', indices: [2], representations: [svc('b:1')] }]);
  });

  it('routes Member representations by the id itself', () => {
    const reps = [member('c'), svc('a:1'), member('a')];
    expect(groupRepresentations(reps, isMember)).toEqual([
      { member: 'c', indices: [0], representations: [member('c')] },
      { member: 'a', indices: [1, 2], representations: [svc('a:1'), member('a')] },
    ]);
  });

  it('returns no groups for no representations', () => {
    expect(groupRepresentations([], isMember)).toEqual([]);
  });
});

describe('assembleEntities', () => {
  it('puts interleaved owners back in the original order, whatever order the groups answer in', () => {
    const reps = [svc('a:1'), svc('b:1'), svc('a:2'), svc('c:1')];
    const groups = groupRepresentations(reps, isMember);
    const results = groups.map((group) => ({ group, entities: answerFor(group), errors: [] })).reverse();
    const { entities, errors } = assembleEntities(reps.length, results);
    expect(entities).toEqual([
      { id: 'a:1', answeredBy: 'a' },
      { id: 'b:1', answeredBy: 'b' },
      { id: 'a:2', answeredBy: 'a' },
      { id: 'c:1', answeredBy: 'c' },
    ]);
    expect(errors).toEqual([]);
  });

  it('answers null for unknown owners, at their positions', () => {
    const reps = [svc('zz:1'), svc('a:1'), svc('noprefix'), member('b'), member('nobody')];
    const groups = groupRepresentations(reps, isMember);
    const { entities } = assembleEntities(
      reps.length,
      groups.map((group) => ({ group, entities: answerFor(group), errors: [] })),
    );
    expect(entities).toEqual([null, { id: 'a:1', answeredBy: 'a' }, null, { id: 'b', answeredBy: 'b' }, null]);
  });

  it('answers null where a member sent nothing: no list, a short list, or null items', () => {
    const reps = [svc('a:1'), svc('b:1'), svc('a:2'), svc('c:1'), svc('c:2')];
    const [a, b, c] = groupRepresentations(reps, isMember);
    const { entities } = assembleEntities(reps.length, [
      { group: a, entities: [{ id: 'a:1' }], errors: [] },
      { group: b, entities: null, errors: [] },
      { group: c, entities: [null, { id: 'c:2' }], errors: [] },
    ]);
    expect(entities).toEqual([{ id: 'a:1' }, null, null, null, { id: 'c:2' }]);
  });

  it('remaps error paths from member-local positions to the original ones, and tags the member', () => {
    const reps = [svc('a:1'), svc('b:1'), svc('a:2'), svc('c:1')];
    const [a, b, c] = groupRepresentations(reps, isMember);
    const err = (message: string, path?: (string | number)[]): SubgraphError => (path ? { message, path } : { message });
    const { errors } = assembleEntities(reps.length, [
      { group: a, entities: [{ id: 'a:1' }, null], errors: [err('a second', ['_entities', 1, 'name'])] },
      { group: b, entities: [null], errors: [err('b first', ['_entities', 0])] },
      { group: c, entities: [null], errors: [err('c no path'), err('c out of range', ['_entities', 5, 'name']), err('c other root', ['services', 0])] },
    ]);
    expect(errors).toEqual([
      { message: 'a second', path: ['_entities', 2, 'name'], extensions: { member: 'a' } },
      { message: 'b first', path: ['_entities', 1], extensions: { member: 'b' } },
      { message: 'c no path', extensions: { member: 'c' } },
      { message: 'c out of range', path: ['_entities', 5, 'name'], extensions: { member: 'c' } },
      { message: 'c other root', path: ['services', 0], extensions: { member: 'c' } },
    ]);
  });

  it('keeps the code of entity errors but names the member that answered', () => {
    const [a] = groupRepresentations([svc('a:1')], isMember);
    const { errors } = assembleEntities(1, [{ group: a, entities: null, errors: [{ message: 'x', path: ['_entities', 0], extensions: { code: 'FORBIDDEN', member: 'q' } }] }]);
    expect(errors).toEqual([{ message: 'x', path: ['_entities', 0], extensions: { code: 'FORBIDDEN', member: 'a' } }]);
  });

  it('returns a list of nulls of the requested length when nobody answered', () => {
    expect(assembleEntities(3, [])).toEqual({ entities: [null, null, null], errors: [] });
  });
});
