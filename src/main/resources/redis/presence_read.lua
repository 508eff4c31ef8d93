-- Sums the live reports of a stage and removes the expired ones (RedisEngine#presence).
--
-- KEYS[1] plenum:{stage}:presence   hash: reporter -> "viewers,moderators,presenters,expiresAtMillis,hall,stream"
--         (reports written before the split by join source end after expiresAtMillis: hall and stream 0)
-- Returns {viewers, moderators, presenters, hall, stream}.

-- Redis < 5 needs effects replication to write after TIME; newer versions always do it.
if redis.replicate_commands then
  redis.replicate_commands()
end

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local entries = redis.call('HGETALL', KEYS[1])
local viewers, moderators, presenters, hall, stream = 0, 0, 0, 0, 0
for i = 1, #entries, 2 do
  local report = entries[i + 1]
  local v, m, p, expiresAt, h, s = string.match(report, '^(%-?%d+),(%-?%d+),(%-?%d+),(%-?%d+),(%-?%d+),(%-?%d+)$')
  if not v then
    v, m, p, expiresAt = string.match(report, '^(%-?%d+),(%-?%d+),(%-?%d+),(%-?%d+)$')
    h, s = '0', '0'
  end
  if not expiresAt or tonumber(expiresAt) <= now then
    redis.call('HDEL', KEYS[1], entries[i])
  else
    viewers = viewers + tonumber(v)
    moderators = moderators + tonumber(m)
    presenters = presenters + tonumber(p)
    hall = hall + tonumber(h)
    stream = stream + tonumber(s)
  end
end
return {viewers, moderators, presenters, hall, stream}
