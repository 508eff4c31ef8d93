-- Sums the live reports of a stage and removes the expired ones (RedisEngine#presence).
--
-- KEYS[1] plenum:{stage}:presence   hash: reporter -> "viewers,moderators,presenters,expiresAtMillis"
-- Returns {viewers, moderators, presenters}.

-- Redis < 5 needs effects replication to write after TIME; newer versions always do it.
if redis.replicate_commands then
  redis.replicate_commands()
end

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local entries = redis.call('HGETALL', KEYS[1])
local viewers, moderators, presenters = 0, 0, 0
for i = 1, #entries, 2 do
  local v, m, p, expiresAt = string.match(entries[i + 1], '^(%-?%d+),(%-?%d+),(%-?%d+),(%-?%d+)$')
  if not expiresAt or tonumber(expiresAt) <= now then
    redis.call('HDEL', KEYS[1], entries[i])
  else
    viewers = viewers + tonumber(v)
    moderators = moderators + tonumber(m)
    presenters = presenters + tonumber(p)
  end
end
return {viewers, moderators, presenters}
