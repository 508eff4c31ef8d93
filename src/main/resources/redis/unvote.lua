-- Takes one participant's ballot out of a poll's counts, atomically (RedisEngine#removeBallot): a
-- moderator removing a muted participant's votes. Whatever the poll's state (open or closed).
-- Idempotent: without a ballot nothing changes (no version step).
--
-- Twin: org.plenum.stage.PollTally#remove (what the memory engine applies); change both together.
--
-- KEYS[1] plenum:{stage}:counts:<poll>    hash: choice key -> count, _v version, _n voters
-- KEYS[2] plenum:{stage}:ballots:<poll>   hash: participant -> encoded ballot ("a,c")
-- ARGV[1] participant id
--
-- Returns {removed (1 | 0), version}.

local previous = redis.call('HGET', KEYS[2], ARGV[1])
if not previous then
  return {0, tonumber(redis.call('HGET', KEYS[1], '_v') or '0')}
end
for key in string.gmatch(previous, '[^,]+') do
  redis.call('HINCRBY', KEYS[1], key, -1)
end
redis.call('HINCRBY', KEYS[1], '_n', -1)
redis.call('HDEL', KEYS[2], ARGV[1])
return {1, redis.call('HINCRBY', KEYS[1], '_v', 1)}
