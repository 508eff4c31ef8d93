-- Stores a written answer to an open-text poll (RedisEngine#submitPost, post kind answer) together
-- with its action id, but only while the poll is open: the open check and the write are one step,
-- so an answer that arrives after the close (or after the timer's deadline) is never stored.
--
-- Twin: org.plenum.engine.MemoryEngine#answerRefusal with PollTally.refusal (the same rules in Java);
-- EngineContractTest holds both engines to them. The rest is submit_post.lua's.
--
-- KEYS[1] plenum:{stage}:act:<participant>:<action>   action id seen (string: the post id, PX ttl)
-- KEYS[2] plenum:{stage}:post:<post>                  hash: doc (Wire.post JSON), rev, v (version)
-- KEYS[3] plenum:{stage}:posts                        list of post ids, creation order
-- KEYS[4] plenum:{stage}:poll:<poll>                  the poll's document (its kind must be text)
-- KEYS[5] plenum:{stage}:state:<poll>                 draft | open | closed
-- KEYS[6] plenum:{stage}:closes:<poll>                the poll timer's deadline, epoch ms (absent: no timer)
-- ARGV[1] post id   ARGV[2] post JSON   ARGV[3] revision   ARGV[4] action id ttl (ms)
-- then the statistics' keys and arguments (stats_count.lua, prepended)
--
-- Returns {status, post id}; status is applied | duplicate | exists | unknown_poll | wrong_poll_kind
-- | not_open:<state> | closed:<deadline ms>.

local seen = redis.call('GET', KEYS[1])
if seen then
  return {'duplicate', seen}
end
local doc = redis.call('GET', KEYS[4])
if not doc then
  return {'unknown_poll', ARGV[1]}
end
if cjson.decode(doc)['kind'] ~= 'text' then
  return {'wrong_poll_kind', ARGV[1]}
end
local state = redis.call('GET', KEYS[5])
if state ~= 'open' then
  return {'not_open:' .. tostring(state), ARGV[1]}
end
local closes = redis.call('GET', KEYS[6])
if closes then
  local now = redis.call('TIME')
  if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) >= tonumber(closes) then
    return {'closed:' .. closes, ARGV[1]}
  end
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  return {'exists', ARGV[1]}
end
redis.call('HSET', KEYS[2], 'doc', ARGV[2], 'rev', ARGV[3], 'v', 1)
redis.call('RPUSH', KEYS[3], ARGV[1])
redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[4])
count_interaction(true)
return {'applied', ARGV[1]}
