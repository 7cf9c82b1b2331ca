import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';

/**
 * @nest-lab/throttler-storage-redis's counting, but for a key that is blocked: its script counted
 * every attempt, refused ones included, into a new window once the one that led to the block had
 * ended, so that a client that kept trying while blocked was blocked again, for a whole window,
 * at the moment the Retry-After it had been given ran out. Here an attempt refused while the key
 * is blocked counts for nothing, as in @nestjs/throttler's in-memory storage (the counting of
 * each api process while Redis is away): once the block ends, the key starts a new window.
 * KEYS and ARGV, and the answer, are the library's.
 */
const SCRIPT = `
local hitKey = KEYS[1]
local blockKey = KEYS[2]
local ttl = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local blockDuration = tonumber(ARGV[4])
local timeToBlockExpire = redis.call('PTTL', blockKey)
if timeToBlockExpire > 0 then
  local hits = tonumber(redis.call('GET', hitKey)) or 0
  local timeToExpire = redis.call('PTTL', hitKey)
  if timeToExpire < 0 then timeToExpire = 0 end
  return { hits + 1, timeToExpire, 1, timeToBlockExpire }
end
local totalHits = redis.call('INCR', hitKey)
local timeToExpire = redis.call('PTTL', hitKey)
if timeToExpire <= 0 then
  redis.call('PEXPIRE', hitKey, ttl)
  timeToExpire = ttl
end
if totalHits > limit then
  redis.call('SET', blockKey, 1, 'PX', blockDuration)
  return { totalHits, timeToExpire, 1, blockDuration }
end
return { totalHits, timeToExpire, 0, 0 }
`;

export class RedisLoginCounters extends ThrottlerStorageRedisService {
  // Called by the library's constructor for the script that increment() evaluates.
  override getScriptSrc(): string {
    return SCRIPT.trim();
  }
}
