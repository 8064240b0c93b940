-- Take (or refresh) one of `limit` slots in a ZSET of holders scored by expiry.
-- Expired holders are dropped first, so a crashed holder frees its slot after its ttl.
-- KEYS: slots. ARGV: holder, limit, ttl_ms.
-- Returns {1, expires_ms} or {0, ms until the earliest holder expires}.
local slots, holder, limit, ttl = KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local now = now_ms()
redis.call('ZREMRANGEBYSCORE', slots, '-inf', now)
if not redis.call('ZSCORE', slots, holder) and redis.call('ZCARD', slots) >= limit then
  local first = redis.call('ZRANGE', slots, 0, 0, 'WITHSCORES')
  return {0, math.max(tonumber(first[2]) - now, 1)}
end
redis.call('ZADD', slots, now + ttl, holder)
-- The key lives as long as its longest holder, so idle nodes leave nothing behind.
local last = redis.call('ZRANGE', slots, -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', slots, tonumber(last[2]))
return {1, now + ttl}
