-- One quiz answer, applied and scored atomically (RedisEngine#answer): the vote's rules (vote.lua:
-- dedup by action id, the open check, the timer's deadline), plus one answer per participant, plus
-- the score, in this one step, so a retried action is never scored twice.
--
-- Twin: org.plenum.stage.QuizRules#points (the points) and QuizScores (the totals), what the memory
-- engine applies; change both together. EngineContractTest holds both engines to them.
--
-- KEYS[1] plenum:{stage}:act:<participant>:<action>  action id seen (string, PX ttl)
-- KEYS[2] plenum:{stage}:state:<poll>                draft | open | closed
-- KEYS[3] plenum:{stage}:counts:<poll>               hash: choice key -> count, _v version, _n voters
-- KEYS[4] plenum:{stage}:ballots:<poll>              hash: participant -> encoded ballot ("a,c")
-- KEYS[5] plenum:{stage}:closes:<poll>               the poll timer's deadline, epoch ms (absent: no timer)
-- KEYS[6] plenum:{stage}:quiz-score                  zset: participant -> points on the stage
-- KEYS[7] plenum:{stage}:quiz-correct                hash: participant -> correct answers on the stage
-- KEYS[8] plenum:{stage}:quiz-points:<poll>          hash: participant -> points this answer earned
-- KEYS[9] plenum:{stage}:quiz-scored                 string: answers scored on the stage (the board's version)
-- ARGV[1] participant id   ARGV[2] encoded ballot   ARGV[3] action id ttl (ms)
-- ARGV[4] 1 if the ballot is the correct options, else 0   ARGV[5] points of a correct answer
-- ARGV[6] 1 with speed bonus   ARGV[7] the opening, epoch ms ("" if unknown)
-- then the statistics' keys and arguments (stats_count.lua, prepended)
--
-- Returns {status, version, points earned}; status is applied | duplicate | unknown_poll |
-- not_open:<state> | closed:<deadline ms> | answered.

if redis.call('EXISTS', KEYS[1]) == 1 then
  return {'duplicate', tonumber(redis.call('HGET', KEYS[3], '_v') or '0'), 0}
end

local state = redis.call('GET', KEYS[2])
if not state then
  return {'unknown_poll', 0, 0}
end
if state ~= 'open' then
  return {'not_open:' .. state, 0, 0}
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local closes = redis.call('GET', KEYS[5])
if closes and now >= tonumber(closes) then
  return {'closed:' .. closes, 0, 0}
end
if redis.call('HEXISTS', KEYS[4], ARGV[1]) == 1 then
  return {'answered', 0, 0}
end

local earned = 0
if ARGV[4] == '1' then
  local worth = tonumber(ARGV[5])
  earned = worth
  if ARGV[6] == '1' and closes and ARGV[7] ~= '' then
    local opened = tonumber(ARGV[7])
    local duration = tonumber(closes) - opened
    if duration > 0 then
      local elapsed = math.max(0, math.min(duration, now - opened))
      earned = worth - math.floor((worth * elapsed) / (2 * duration))
    end
  end
end

redis.call('HINCRBY', KEYS[3], '_n', 1)
for key in string.gmatch(ARGV[2], '[^,]+') do
  redis.call('HINCRBY', KEYS[3], key, 1)
end
redis.call('HSET', KEYS[4], ARGV[1], ARGV[2])
local version = redis.call('HINCRBY', KEYS[3], '_v', 1)
redis.call('HSET', KEYS[8], ARGV[1], earned)
redis.call('ZINCRBY', KEYS[6], earned, ARGV[1])
redis.call('HINCRBY', KEYS[7], ARGV[1], tonumber(ARGV[4]))
redis.call('INCR', KEYS[9])
redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[3])
count_interaction(true)
return {'applied', version, earned}
