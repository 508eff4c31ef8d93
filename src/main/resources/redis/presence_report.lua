-- Records one reporter's session counts on a stage (RedisEngine#reportPresence). Expiry uses the
-- Redis clock, so nodes with skewed clocks still agree on which reports are live.
--
-- KEYS[1] plenum:{stage}:presence   hash: reporter -> "viewers,moderators,presenters,expiresAtMillis,hall,stream"
-- ARGV[1] reporter id   ARGV[2] "viewers,moderators,presenters"   ARGV[3] ttl (ms)
-- ARGV[4] "hall,stream": of the viewers, how many joined from the hall link and from the stream link

-- Redis < 5 needs effects replication to write after TIME; newer versions always do it.
if redis.replicate_commands then
  redis.replicate_commands()
end

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[3])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ',' .. string.format('%d', now + ttl) .. ',' .. (ARGV[4] or '0,0'))

-- The whole hash outlives its longest report by a minute, so an abandoned stage leaves nothing.
local keep = math.max(ttl, 0) + 60000
if redis.call('PTTL', KEYS[1]) < keep then
  redis.call('PEXPIRE', KEYS[1], keep)
end
return 1
