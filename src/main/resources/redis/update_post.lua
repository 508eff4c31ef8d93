-- Replaces a post if it is still at the revision the caller read (RedisEngine#updatePost):
-- compare-and-set, so two moderators acting at once cannot silently undo each other.
--
-- Twin: the same rules, in Java, are org.plenum.stage.PostTally (what the memory engine applies); change both
-- together. EngineContractTest holds both engines to them.
--
-- KEYS[1] plenum:{stage}:post:<post>       hash: doc (Wire.post JSON), rev, v (version)
-- KEYS[2] plenum:{stage}:upvoters:<post>   set of participants upvoting it
-- ARGV[1] expected revision   ARGV[2] new post JSON   ARGV[3] new revision
--
-- Returns {status, version, upvotes}; status is applied | unknown_post | conflict.

local rev = redis.call('HGET', KEYS[1], 'rev')
if not rev then
  return {'unknown_post', 0, 0}
end
if rev ~= ARGV[1] then
  return {'conflict', 0, 0}
end
redis.call('HSET', KEYS[1], 'doc', ARGV[2], 'rev', ARGV[3])
return {'applied', redis.call('HINCRBY', KEYS[1], 'v', 1), redis.call('SCARD', KEYS[2])}
