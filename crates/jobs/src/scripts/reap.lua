-- Return jobs whose lease expired to the front of ready; their attempt count is kept, so the
-- next lease counts one more, and the lost lease is counted apart (a dead worker is not the
-- job's failure). Old tokens are dropped: their holders can no longer settle.
-- ARGV: limit. Returns the ids.
local expired = redis.call('ZRANGEBYSCORE', leased, '-inf', '(' .. now_ms(), 'LIMIT', 0, tonumber(ARGV[1]))
for _, id in ipairs(expired) do
  redis.call('ZREM', leased, id)
  redis.call('HDEL', tokens, id)
  redis.call('HDEL', workers, id)
  redis.call('HINCRBY', lost, id, 1)
  redis.call('HSET', state, id, 'ready')
  redis.call('RPUSH', ready, id)
end
wake_waiters(#expired)
return expired
