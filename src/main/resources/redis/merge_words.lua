-- Merges one word of a cloud into another (RedisEngine#mergeWords), atomically: contributors are
-- united (a participant who gave both counts once), the merged-away word disappears, later entries
-- of it (and of every word merged into it earlier) count for the target, and each contributor's own
-- entry set names the target instead, so the per-participant checks keep working.
--
-- Twin: the same rules, in Java, are org.plenum.stage.CloudTally (what the memory engine applies); change both
-- together. EngineContractTest holds both engines to them.
--
-- KEYS[1] plenum:{stage}:cloud-state:<cloud>        draft | open | closed (absent: no such cloud)
-- KEYS[2] plenum:{stage}:cloud-meta:<cloud>         hash: _v version, ...
-- KEYS[3] plenum:{stage}:cloud-rank:<cloud>         zset: key -> minus its contributor count
-- KEYS[4] plenum:{stage}:cloud-merged:<cloud>       hash: merged-away key -> key it counts for
-- KEYS[5] plenum:{stage}:cloud-hidden:<cloud>       set of hidden keys
-- KEYS[6] plenum:{stage}:cloud-who:<cloud>:<from>   set: contributors of the merged-away word
-- KEYS[7] plenum:{stage}:cloud-who:<cloud>:<into>   set: contributors of the target
-- KEYS[8] plenum:{stage}:cloud-spell:<cloud>:<from> hash: spellings of the merged-away word
-- ARGV[1] from key   ARGV[2] into key
-- ARGV[3] prefix of the participants' entry sets, "plenum:{stage}:cloud-mine:<cloud>:" (same slot)
--
-- Returns {status, version}; status is applied | unknown_cloud | unknown_word.

local from, into = ARGV[1], ARGV[2]
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'unknown_cloud', 0}
end
if not redis.call('ZSCORE', KEYS[3], from) or not redis.call('ZSCORE', KEYS[3], into) then
  return {'unknown_word', 0}
end

for _, participant in ipairs(redis.call('SMEMBERS', KEYS[6])) do
  local mine = ARGV[3] .. participant
  redis.call('SREM', mine, from)
  redis.call('SADD', mine, into)
end
redis.call('SUNIONSTORE', KEYS[7], KEYS[7], KEYS[6])
redis.call('DEL', KEYS[6], KEYS[8])
redis.call('ZREM', KEYS[3], from)
redis.call('ZADD', KEYS[3], -redis.call('SCARD', KEYS[7]), into)
redis.call('SREM', KEYS[5], from)

-- One hop resolves every merge: words merged into `from` earlier now point at `into` directly.
local merged = redis.call('HGETALL', KEYS[4])
for i = 1, #merged, 2 do
  if merged[i + 1] == from then
    redis.call('HSET', KEYS[4], merged[i], into)
  end
end
redis.call('HSET', KEYS[4], from, into)
return {'applied', redis.call('HINCRBY', KEYS[2], '_v', 1)}
