import { Redis } from 'ioredis';
import type { Logger } from '../../../common/logger';

/**
 * A Redis connection for state shared by replicas. Commands fail fast while Redis is down (no
 * offline queue), and every user of it falls back to local state: the gateway degrades, it does
 * not fail requests.
 */
export function connectRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, retryStrategy: (times) => Math.min(times * 200, 5000) });
  let down = false;
  redis.on('error', (err) => {
    if (!down) logger.warn({ err: err.message }, 'Redis unavailable: using local state until it is back');
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.info('Redis is back: shared state resumed');
    down = false;
  });
  return redis;
}
