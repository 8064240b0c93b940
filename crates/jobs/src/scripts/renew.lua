-- Extend a lease held with this token; report whether a cancel was requested.
-- ARGV: id, token, ttl_ms.
-- Returns {1, expires_ms, cancel_requested} or {0} when the token no longer holds the job.
local id = ARGV[1]
if redis.call('HGET', tokens, id) ~= ARGV[2] then
  return {0}
end
local expires = now_ms() + tonumber(ARGV[3])
redis.call('ZADD', leased, expires, id)
return {1, expires, redis.call('SISMEMBER', cancel, id)}
