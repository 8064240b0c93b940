-- Return jobs whose lease expired to the front of ready; their attempt count is kept, so the
-- next lease counts one more. Old tokens are dropped: their holders can no longer settle.
-- ARGV: limit. Returns the ids.
local expired = redis.call('ZRANGEBYSCORE', leased, '-inf', '(' .. now_ms(), 'LIMIT', 0, tonumber(ARGV[1]))
for _, id in ipairs(expired) do
  redis.call('ZREM', leased, id)
  redis.call('HDEL', tokens, id)
  redis.call('HDEL', workers, id)
  redis.call('HSET', state, id, 'ready')
  redis.call('RPUSH', ready, id)
end
wake_waiters(#expired)
return expired
