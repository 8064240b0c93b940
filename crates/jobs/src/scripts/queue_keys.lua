-- Prepended to every queue script: all the queue's keys, always in this order (see keys.rs).
local state, ready, delayed, leased, attempts, tokens, workers, cancel, wake, lost =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10]

-- One wake-up per job that became ready, so that as many idle waiters start leasing; the list
-- is bounded because nobody may be waiting.
local function wake_waiters(count)
  for _ = 1, math.min(count, 64) do
    redis.call('LPUSH', wake, 1)
  end
  redis.call('LTRIM', wake, 0, 63)
end
