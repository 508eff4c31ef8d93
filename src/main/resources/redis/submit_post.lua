-- Stores a new question, comment or feedback message (RedisEngine#submitPost) together with its
-- action id, whose value is the post's id: a retry stores nothing and learns which post it made.
--
-- Twin: the same rules, in Java, are org.plenum.stage.PostTally (what the memory engine applies); change both
-- together. EngineContractTest holds both engines to them.
--
-- KEYS[1] plenum:{stage}:act:<participant>:<action>   action id seen (string: the post id, PX ttl)
-- KEYS[2] plenum:{stage}:post:<post>                  hash: doc (Wire.post JSON), rev, v (version)
-- KEYS[3] plenum:{stage}:posts                        list of post ids, creation order
-- ARGV[1] post id   ARGV[2] post JSON   ARGV[3] revision   ARGV[4] action id ttl (ms)
-- then the statistics' keys and arguments (stats_count.lua, prepended)
--
-- Returns {status, post id}; status is applied | duplicate | exists (the id is taken: a caller bug).

local seen = redis.call('GET', KEYS[1])
if seen then
  return {'duplicate', seen}
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  return {'exists', ARGV[1]}
end
redis.call('HSET', KEYS[2], 'doc', ARGV[2], 'rev', ARGV[3], 'v', 1)
redis.call('RPUSH', KEYS[3], ARGV[1])
redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[4])
count_interaction(true)
return {'applied', ARGV[1]}
