import type { IncomingMessage } from 'node:http';
import Negotiator from 'negotiator';
import { GRAPHQL_RESPONSE_TYPE, JSON_TYPE, graphqlContentType } from './negotiate';

const request = (accept?: string) => ({ headers: accept === undefined ? {} : { accept } }) as IncomingMessage;
const direct = (accept: string) => new Negotiator({ headers: { accept } }).mediaType([JSON_TYPE, GRAPHQL_RESPONSE_TYPE]) ?? undefined;

describe('graphqlContentType', () => {
  const accepts = [
    'application/graphql-response+json, application/json',
    'application/json',
    'application/json;q=0.9, application/graphql-response+json',
    'application/graphql-response+json;q=0.5, application/json;q=0.9',
    'text/html',
    'image/png, text/plain;q=0.5',
    '*/*',
    'application/*;q=0.2',
  ];

  it.each(accepts)('chooses as negotiator does, every time a value comes again: %s', (accept) => {
    const expected = direct(accept);
    for (let i = 0; i < 3; i++) expect(graphqlContentType(request(accept))).toBe(expected);
  });

  it('answers JSON without an Accept header, and nothing for a type neither answer has', () => {
    expect(graphqlContentType(request())).toBe(JSON_TYPE);
    expect(graphqlContentType(request('text/html'))).toBeUndefined();
    expect(graphqlContentType(request('text/html'))).toBeUndefined();
    expect(graphqlContentType(request('application/graphql-response+json, application/json'))).toBe(GRAPHQL_RESPONSE_TYPE);
  });

  it('stays right past the bound on remembered values, and for values too long to keep', () => {
    for (let i = 0; i < 600; i++) {
      const accept = i % 2 ? `application/x-${i}, application/json;q=0.${(i % 9) + 1}` : `application/x-${i}`;
      expect(graphqlContentType(request(accept))).toBe(direct(accept));
    }
    const long = `${'application/x-long;q=0.1, '.repeat(40)}application/graphql-response+json`;
    expect(long.length).toBeGreaterThan(512);
    expect(graphqlContentType(request(long))).toBe(GRAPHQL_RESPONSE_TYPE);
    expect(graphqlContentType(request(`${'text/plain, '.repeat(60)}image/png`))).toBeUndefined();
  });
});
