-- End a lease held with this token. ARGV: id, token, action, delay_ms. Actions:
--   remove  the job is finished (done or failed for good): forget it entirely;
--   retry   back to delayed (or ready when delay_ms is 0), attempt kept;
--   release back to the front of ready at once, the attempt given back (the worker is stopping).
-- Returns 1, or 0 when the token no longer holds the job.
local id, action, delay = ARGV[1], ARGV[3], tonumber(ARGV[4])
if redis.call('HGET', tokens, id) ~= ARGV[2] then
  return 0
end
redis.call('ZREM', leased, id)
redis.call('HDEL', tokens, id)
redis.call('HDEL', workers, id)

if action == 'remove' then
  redis.call('HDEL', state, id)
  redis.call('HDEL', attempts, id)
  redis.call('HDEL', lost, id)
  redis.call('SREM', cancel, id)
  return 1
end

if action == 'retry' and delay > 0 then
  redis.call('HSET', state, id, 'delayed')
  redis.call('ZADD', delayed, now_ms() + delay, id)
  return 1
end

if action == 'release' then
  redis.call('HINCRBY', attempts, id, -1)
  redis.call('RPUSH', ready, id)
else
  redis.call('LPUSH', ready, id)
end
redis.call('HSET', state, id, 'ready')
wake_waiters(1)
return 1
