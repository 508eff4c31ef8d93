-- Counts one reaction (RedisEngine#react), atomically with its action id. Reactions are not
-- stored one by one: the stage's totals and its per-minute timeline grow.
--
-- Twin: the same rules, in Java, are org.plenum.stage.ReactionTally (what the memory engine applies); change both
-- together. EngineContractTest holds both engines to them.
--
-- KEYS[1] plenum:{stage}:act:<participant>:<action>   action id seen (string, PX ttl)
-- KEYS[2] plenum:{stage}:reactions                    hash: emoji -> total, _v version
-- KEYS[3] plenum:{stage}:reaction-minutes             hash: "<minute epoch second>|<emoji>" -> count
-- ARGV[1] emoji   ARGV[2] minute (epoch second)   ARGV[3] action id ttl (ms)
-- then the statistics' keys and arguments (stats_count.lua, prepended)
--
-- Returns {status, version}; status is applied | duplicate.

if redis.call('EXISTS', KEYS[1]) == 1 then
  return {'duplicate', tonumber(redis.call('HGET', KEYS[2], '_v') or '0')}
end
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
redis.call('HINCRBY', KEYS[3], ARGV[2] .. '|' .. ARGV[1], 1)
local version = redis.call('HINCRBY', KEYS[2], '_v', 1)
redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[3])
count_interaction(true)
return {'applied', version}
