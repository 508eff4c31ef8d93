-- One word-cloud entry, applied atomically (RedisEngine#submitWord): dedup, the open check, merge
-- resolution, the participant's limits, the counts and remembering the action id are one step.
--
-- Twin: the same rules, in Java, are org.plenum.stage.CloudTally (what the memory engine applies); change both
-- together. EngineContractTest holds both engines to them.
--
-- KEYS[1] plenum:{stage}:act:<participant>:<action>       action id seen (string, PX ttl)
-- KEYS[2] plenum:{stage}:cloud-state:<cloud>              draft | open | closed
-- KEYS[3] plenum:{stage}:cloud-meta:<cloud>               hash: _v version, _n contributors, _e entries
-- KEYS[4] plenum:{stage}:cloud-rank:<cloud>               zset: key -> minus its contributor count
-- KEYS[5] plenum:{stage}:cloud-mine:<cloud>:<participant> set: the participant's keys
-- KEYS[6] plenum:{stage}:cloud-merged:<cloud>             hash: merged-away key -> key it counts for
-- ARGV[1] participant id   ARGV[2] key   ARGV[3] spelling   ARGV[4] max entries   ARGV[5] action id ttl (ms)
-- ARGV[6] prefix of the per-key keys, "plenum:{stage}:cloud-" : the script appends
--         "who:<cloud>:<key>" (set of contributors) and "spell:<cloud>:<key>" (hash: spelling -> count).
--         They carry the stage's hash tag, so they share the declared keys' Cluster slot.
-- ARGV[7] cloud id
-- then the statistics' keys and arguments (stats_count.lua, prepended)
--
-- Returns {status, version}; status is applied | duplicate | unknown_cloud | not_open:<phase> |
-- already_submitted | too_many_entries. A refused entry leaves no trace, its action id included.

if redis.call('EXISTS', KEYS[1]) == 1 then
  return {'duplicate', tonumber(redis.call('HGET', KEYS[3], '_v') or '0')}
end

local phase = redis.call('GET', KEYS[2])
if not phase then
  return {'unknown_cloud', 0}
end
if phase ~= 'open' then
  return {'not_open:' .. phase, 0}
end

local participant, typed = ARGV[1], ARGV[2]
local key = redis.call('HGET', KEYS[6], typed) or typed
if redis.call('SISMEMBER', KEYS[5], key) == 1 then
  return {'already_submitted', 0}
end
local held = redis.call('SCARD', KEYS[5])
if held >= tonumber(ARGV[4]) then
  return {'too_many_entries', 0}
end

if held == 0 then
  redis.call('HINCRBY', KEYS[3], '_n', 1)
end
redis.call('SADD', KEYS[5], key)
redis.call('SADD', ARGV[6] .. 'who:' .. ARGV[7] .. ':' .. key, participant)
redis.call('ZINCRBY', KEYS[4], -1, key)
-- A merged-away spelling is not tallied: the target keeps its own display spelling.
if key == typed then
  redis.call('HINCRBY', ARGV[6] .. 'spell:' .. ARGV[7] .. ':' .. key, ARGV[3], 1)
end
redis.call('HINCRBY', KEYS[3], '_e', 1)
local version = redis.call('HINCRBY', KEYS[3], '_v', 1)
redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[5])
count_interaction(true)
return {'applied', version}
