-- Extend a slot this holder still has (not expired). KEYS: slots. ARGV: holder, ttl_ms.
-- Returns the new expiry in ms, or 0 when the slot was lost.
local slots, holder, ttl = KEYS[1], ARGV[1], tonumber(ARGV[2])
local now = now_ms()
local score = redis.call('ZSCORE', slots, holder)
if not score or tonumber(score) <= now then
  return 0
end
redis.call('ZADD', slots, now + ttl, holder)
local last = redis.call('ZRANGE', slots, -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', slots, tonumber(last[2]))
return now + ttl
