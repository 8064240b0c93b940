-- Lease the oldest ready job, first moving delayed jobs that are due to ready.
-- ARGV: worker, ttl_ms, token.
-- Returns {1, id, attempt, expires_ms, cancel_requested, lost} or {0, ms until the next delayed
-- job is due, or -1}.
local now = now_ms()
local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, 100)
for _, id in ipairs(due) do
  redis.call('ZREM', delayed, id)
  redis.call('HSET', state, id, 'ready')
  redis.call('LPUSH', ready, id)
end
if #due > 0 then
  wake_waiters(#due)
end

local id = redis.call('RPOP', ready)
if not id then
  local next = redis.call('ZRANGE', delayed, 0, 0, 'WITHSCORES')
  if next[2] then
    return {0, math.max(tonumber(next[2]) - now, 0)}
  end
  return {0, -1}
end
local attempt = redis.call('HINCRBY', attempts, id, 1)
local expires = now + tonumber(ARGV[2])
redis.call('HSET', state, id, 'leased')
redis.call('ZADD', leased, expires, id)
redis.call('HSET', tokens, id, ARGV[3])
redis.call('HSET', workers, id, ARGV[1])
return {1, id, attempt, expires, redis.call('SISMEMBER', cancel, id),
  tonumber(redis.call('HGET', lost, id) or 0)}
