import { requestBody } from './request-body';

describe('requestBody', () => {
  it('serializes one operation with one variables object once, whatever the number of members', () => {
    const variables = { limit: 5 };
    const bodies = Array.from({ length: 500 }, () => requestBody('{ services { id } }', variables, undefined));
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[0])).toEqual({ query: '{ services { id } }', variables: { limit: 5 } });
  });

  it('keeps bodies apart by query, operation name and variables object', () => {
    const variables = {};
    const a = requestBody('query A { services { id } }', variables, 'A');
    expect(JSON.parse(a)).toEqual({ query: 'query A { services { id } }', variables: {}, operationName: 'A' });
    expect(requestBody('query A { services { id } }', variables, undefined)).not.toBe(a);
    expect(requestBody('{ projects { id } }', variables, undefined)).toBe('{"query":"{ projects { id } }","variables":{}}');
    const other = { representations: [{ __typename: 'Service', id: 'a:1' }] };
    expect(JSON.parse(requestBody('query A { services { id } }', other, 'A')).variables).toEqual(other);
  });
});
