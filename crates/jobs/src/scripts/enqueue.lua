-- Enqueue the job ids in ARGV that are not already ready, delayed or leased.
-- Returns the ids that were added.
local added = {}
for _, id in ipairs(ARGV) do
  if redis.call('HSETNX', state, id, 'ready') == 1 then
    redis.call('LPUSH', ready, id)
    added[#added + 1] = id
  end
end
wake_waiters(#added)
return added
