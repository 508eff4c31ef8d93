-- Adds or withdraws one participant's upvote of a post (RedisEngine#upvote), atomically with its
-- action id. The participant's own set of upvoted posts moves with the post's set of upvoters.
--
-- Twin: the same rules, in Java, are org.plenum.stage.PostTally (what the memory engine applies); change both
-- together. EngineContractTest holds both engines to them.
--
-- KEYS[1] plenum:{stage}:act:<participant>:<action>   action id seen (string, PX ttl)
-- KEYS[2] plenum:{stage}:post:<post>                  hash: doc, rev, v (version)
-- KEYS[3] plenum:{stage}:upvoters:<post>              set of participants
-- KEYS[4] plenum:{stage}:upvoted:<participant>        set of post ids
-- ARGV[1] participant id   ARGV[2] post id   ARGV[3] 1 to add, 0 to withdraw   ARGV[4] action id ttl (ms)
-- then the statistics' keys and arguments (stats_count.lua, prepended)
--
-- Returns {status, version}; status is applied | unchanged | duplicate | unknown_post.

if redis.call('EXISTS', KEYS[1]) == 1 then
  return {'duplicate', tonumber(redis.call('HGET', KEYS[2], 'v') or '0')}
end
if redis.call('EXISTS', KEYS[2]) == 0 then
  return {'unknown_post', 0}
end
local changed
if ARGV[3] == '1' then
  changed = redis.call('SADD', KEYS[3], ARGV[1])
  redis.call('SADD', KEYS[4], ARGV[2])
else
  changed = redis.call('SREM', KEYS[3], ARGV[1])
  redis.call('SREM', KEYS[4], ARGV[2])
end
redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[4])
if changed == 1 then
  -- a withdrawal is logged but counts no upvote
  count_interaction(ARGV[3] == '1')
  return {'applied', redis.call('HINCRBY', KEYS[2], 'v', 1)}
end
return {'unchanged', tonumber(redis.call('HGET', KEYS[2], 'v'))}
