-- Flag a live job (ready, delayed or leased) for cooperative cancel.
-- ARGV: id. Returns 1 when flagged, 0 when no such job is queued.
if redis.call('HEXISTS', state, ARGV[1]) == 0 then
  return 0
end
redis.call('SADD', cancel, ARGV[1])
return 1
