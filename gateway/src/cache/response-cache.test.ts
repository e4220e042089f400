import { createLogger } from '../../../common/logger';
import { decodeEntry, encodeEntry, ResponseCache } from './response-cache';

const logger = createLogger('test', 'silent');

describe('ResponseCache entries', () => {
  it('gives back the exact status and body it stored, whatever the body holds', async () => {
    const cache = new ResponseCache({ ttlSeconds: 60, logger });
    const body = '{"data":{"services":[{"id":"m:1","name":"a:b \\"c\\" 200:"}]}}';
    const key = cache.key({ query: '{services{id name}}', variables: {} });
    await cache.set(key, { status: 200, body });
    expect(await cache.get(key)).toMatchObject({ status: 200, body });
    expect(await cache.get(cache.key({ query: '{services{id}}', variables: {} }))).toBeUndefined();
  });

  it('reads an entry an earlier version stored as JSON in Redis (during an upgrade), and refuses a malformed one', () => {
    expect(decodeEntry(encodeEntry({ status: 200, body: '{"data":{"x":"v1:200:"}}' }))).toEqual({ status: 200, body: '{"data":{"x":"v1:200:"}}' });
    expect(decodeEntry(JSON.stringify({ status: 200, body: '{"data":{}}' }))).toEqual({ status: 200, body: '{"data":{}}' });
    for (const malformed of ['{"status":"x"}', 'v1:abc:{}', 'v1::{}', 'v1:99:{}', 'v1:200']) expect(decodeEntry(malformed)).toBeUndefined();
  });

  it('serves an answer from memory at once, only in the generation it was stored in', async () => {
    const cache = new ResponseCache({ ttlSeconds: 60, logger });
    const key = cache.key({ query: '{services{id}}', variables: {} });
    const started = await cache.generationNow();
    await cache.set(key, { status: 200, body: '{"data":{"services":[]}}' }, started);
    const hit = cache.lookup(key);
    expect(hit).not.toBeInstanceOf(Promise);
    expect(hit).toMatchObject({ status: 200, body: '{"data":{"services":[]}}', contentLength: '24' });
    expect((hit as { bytes: Buffer }).bytes.toString()).toBe('{"data":{"services":[]}}');
    await cache.invalidate();
    expect(cache.lookup(key)).toBeUndefined();
    // an answer whose request started before the invalidation is not stored under the new generation
    await cache.set(key, { status: 200, body: '{"data":{"services":["old"]}}' }, started);
    expect(cache.lookup(key)).toBeUndefined();
  });
});
