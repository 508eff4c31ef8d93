-- One vote, applied atomically (RedisEngine#vote). Dedup, the open check, moving the counts and
-- remembering the action id happen in this one step, so a retry can never be counted twice.
--
-- Twin: the same rules, in Java, are org.plenum.stage.PollTally (what the memory engine applies); change both
-- together. EngineContractTest holds both engines to them.
--
-- KEYS[1] plenum:{stage}:act:<participant>:<action>  action id seen (string, PX ttl)
-- KEYS[2] plenum:{stage}:state:<poll>                draft | open | closed
-- KEYS[3] plenum:{stage}:counts:<poll>               hash: choice key -> count, _v version, _n voters
-- KEYS[4] plenum:{stage}:ballots:<poll>              hash: participant -> encoded ballot ("a,c")
-- KEYS[5] plenum:{stage}:closes:<poll>               the poll timer's deadline, epoch ms (absent: no timer)
-- ARGV[1] participant id   ARGV[2] encoded ballot   ARGV[3] action id ttl (ms)
-- then the statistics' keys and arguments (stats_count.lua, prepended)
--
-- Returns {status, version}; status is applied | duplicate | unknown_poll | not_open:<state> | closed:<deadline ms>.

if redis.call('EXISTS', KEYS[1]) == 1 then
  return {'duplicate', tonumber(redis.call('HGET', KEYS[3], '_v') or '0')}
end

local state = redis.call('GET', KEYS[2])
if not state then
  return {'unknown_poll', 0}
end
if state ~= 'open' then
  return {'not_open:' .. state, 0}
end
-- Poll timer: past the deadline the poll takes no vote, even before a node's timer flips the state.
-- Redis's own clock decides (TIME, read before any write), so every node agrees whatever its clock.
local closes = redis.call('GET', KEYS[5])
if closes then
  local now = redis.call('TIME')
  if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) >= tonumber(closes) then
    return {'closed:' .. closes, 0}
  end
end

local previous = redis.call('HGET', KEYS[4], ARGV[1])
if previous then
  for key in string.gmatch(previous, '[^,]+') do
    redis.call('HINCRBY', KEYS[3], key, -1)
  end
else
  redis.call('HINCRBY', KEYS[3], '_n', 1)
end
for key in string.gmatch(ARGV[2], '[^,]+') do
  redis.call('HINCRBY', KEYS[3], key, 1)
end
redis.call('HSET', KEYS[4], ARGV[1], ARGV[2])
local version = redis.call('HINCRBY', KEYS[3], '_v', 1)
redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[3])
count_interaction(true)
return {'applied', version}
