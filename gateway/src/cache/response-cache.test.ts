import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { createLogger } from '../../../common/logger';
import { ResponseCache } from './response-cache';

const logger = createLogger('test', 'silent');

describe('ResponseCache entries', () => {
  it('gives back the exact status and body it stored, whatever the body holds', async () => {
    const cache = new ResponseCache({ ttlSeconds: 60, logger });
    const body = '{"data":{"services":[{"id":"m:1","name":"a:b \\"c\\" 200:"}]}}';
    const key = cache.key({ query: '{services{id name}}', variables: {} });
    await cache.set(key, { status: 200, body });
    expect(await cache.get(key)).toEqual({ status: 200, body });
    expect(await cache.get(cache.key({ query: '{services{id}}', variables: {} }))).toBeUndefined();
  });

  it('reads an entry an earlier version stored as JSON (a shared Redis during an upgrade), and refuses a malformed one', async () => {
    const cache = new ResponseCache({ ttlSeconds: 60, logger });
    const store = (cache as unknown as { cache: KeyValueCache<string> }).cache;
    const key = cache.key({ query: '{services{id}}', variables: {} });
    await store.set(`0:${key}`, JSON.stringify({ status: 200, body: '{"data":{}}' }));
    expect(await cache.get(key)).toEqual({ status: 200, body: '{"data":{}}' });
    await store.set(`0:${key}`, '{"status":"x"}');
    expect(await cache.get(key)).toBeUndefined();
    for (const malformed of ['v1:abc:{}', 'v1::{}', 'v1:99:{}', 'v1:200']) {
      await store.set(`0:${key}`, malformed);
      expect(await cache.get(key)).toBeUndefined();
    }
  });
});
