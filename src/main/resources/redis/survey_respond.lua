-- One response to a talk's feedback survey, applied atomically (RedisEngine#respond, via RedisSurveys).
-- Dedup, the open check, replacing the participant's previous response in the counts, keeping the
-- open-text answers and remembering the action id happen in this one step.
--
-- Twin: org.plenum.stage.SurveyTally (PollTally's counting over one ballot per response), what the
-- memory engine applies; change both together. EngineContractTest holds both engines to them.
--
-- KEYS[1] plenum:{stage}:act:<participant>:<action>      action id seen (string, PX ttl)
-- KEYS[2] plenum:{stage}:survey-state:<talk>             draft | open | closed (absent: no survey)
-- KEYS[3] plenum:{stage}:survey-counts:<talk>            hash: key -> count, _v version, _n respondents
-- KEYS[4] plenum:{stage}:survey-responses:<talk>         hash: participant -> encoded keys ("q1,q1:4,q3,q3:a")
-- KEYS[5] plenum:{stage}:survey-texts:<talk>             hash: participant -> "<version>|<json of question -> text>"
-- ARGV[1] participant id   ARGV[2] encoded keys   ARGV[3] action id ttl (ms)   ARGV[4] texts json ("" if none)
--
-- Returns {status, version}; status is applied | duplicate | unknown_survey | not_open:<state>.

if redis.call('EXISTS', KEYS[1]) == 1 then
  return {'duplicate', tonumber(redis.call('HGET', KEYS[3], '_v') or '0')}
end
local state = redis.call('GET', KEYS[2])
if not state then
  return {'unknown_survey', 0}
end
if state ~= 'open' then
  return {'not_open:' .. state, 0}
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
if ARGV[4] == '' then
  redis.call('HDEL', KEYS[5], ARGV[1])
else
  redis.call('HSET', KEYS[5], ARGV[1], version .. '|' .. ARGV[4])
end
redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[3])
return {'applied', version}
