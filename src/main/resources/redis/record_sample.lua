-- Records a stage's presence sample for one interval unless it has one (RedisEngine#recordSample):
-- every node serving the stage samples each interval, the first write wins, so there is exactly one.
--
-- KEYS[1] plenum:{stage}:samples        hash: interval start (epoch ms) -> "viewers,moderators,presenters,hall,stream"
-- KEYS[2] plenum:{stage}:sample-times   zset: interval start -> itself (the order, to drop the oldest)
-- ARGV[1] interval start (epoch ms)   ARGV[2] the counts   ARGV[3] most samples kept
--
-- Returns 1 if recorded, 0 if the interval had a sample.

if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then
  return 0
end
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[1])
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[3])
if over > 0 then
  local oldest = redis.call('ZPOPMIN', KEYS[2], over)
  for i = 1, #oldest, 2 do
    redis.call('HDEL', KEYS[1], oldest[i])
  end
end
return 1
