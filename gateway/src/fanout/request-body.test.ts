import { requestBody } from './request-body';

describe('requestBody', () => {
  it('serializes one operation with one variables object once, whatever the number of members', () => {
    const variables = { limit: 5 };
    const bodies = Array.from({ length: 500 }, () => requestBody('{ services { id } }', variables, undefined));
    expect(new Set(bodies).size).toBe(1);
    expect(new Set(bodies.map((b) => b.bytes)).size).toBe(1);
    expect(JSON.parse(bodies[0].text)).toEqual({ query: '{ services { id } }', variables: { limit: 5 } });
    // the bytes sent are exactly the text the assertion's hash covers
    expect(bodies[0].bytes.equals(Buffer.from(bodies[0].text))).toBe(true);
  });

  it('keeps bodies apart by query, operation name and variables object', () => {
    const variables = {};
    const a = requestBody('query A { services { id } }', variables, 'A');
    expect(JSON.parse(a.text)).toEqual({ query: 'query A { services { id } }', variables: {}, operationName: 'A' });
    expect(requestBody('query A { services { id } }', variables, undefined)).not.toBe(a);
    expect(requestBody('{ projects { id } }', variables, undefined).text).toBe('{"query":"{ projects { id } }","variables":{}}');
    const other = { representations: [{ __typename: 'Service', id: 'a:1' }] };
    expect(JSON.parse(requestBody('query A { services { id } }', other, 'A').text).variables).toEqual(other);
  });

  it('encodes text outside ASCII as UTF-8, byte for byte', () => {
    const body = requestBody('query($q: String) { services(search: $q) { id } }', { q: 'کافشاتا ✓' }, undefined);
    expect(body.bytes.toString('utf8')).toBe(body.text);
    expect(body.bytes.length).toBe(Buffer.byteLength(body.text));
  });
});
