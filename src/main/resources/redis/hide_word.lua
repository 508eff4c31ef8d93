-- Hides or shows a word of a cloud (RedisEngine#hideWord). A hidden word keeps its contributors
-- and its place in the ranking (for audit); readers leave it out of the top list.
--
-- Twin: the same rules, in Java, are org.plenum.stage.CloudTally (what the memory engine applies); change both
-- together. EngineContractTest holds both engines to them.
--
-- KEYS[1] plenum:{stage}:cloud-state:<cloud>    draft | open | closed (absent: no such cloud)
-- KEYS[2] plenum:{stage}:cloud-meta:<cloud>     hash: _v version, ...
-- KEYS[3] plenum:{stage}:cloud-rank:<cloud>     zset: key -> minus its contributor count
-- KEYS[4] plenum:{stage}:cloud-hidden:<cloud>   set of hidden keys
-- ARGV[1] key   ARGV[2] 1 to hide, 0 to show
--
-- Returns {status, version}; status is applied | unknown_cloud | unknown_word.

if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'unknown_cloud', 0}
end
if not redis.call('ZSCORE', KEYS[3], ARGV[1]) then
  return {'unknown_word', 0}
end
if ARGV[2] == '1' then
  redis.call('SADD', KEYS[4], ARGV[1])
else
  redis.call('SREM', KEYS[4], ARGV[1])
end
return {'applied', redis.call('HINCRBY', KEYS[2], '_v', 1)}
