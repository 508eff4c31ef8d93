-- One participant's own quiz result on a stage (RedisEngine#standing), read in one step.
--
-- KEYS[1] plenum:{stage}:quiz-score  KEYS[2] plenum:{stage}:quiz-correct  KEYS[3] plenum:{stage}:quiz-nick
-- KEYS[4..] plenum:{stage}:quiz-points:<poll> for each quiz question asked about
-- ARGV[1] participant id
--
-- Returns {points or false, rank (0-based) or false, participants, correct, nickname or "", points per question...}
-- (a question not answered gives -1).

local id = ARGV[1]
local out = {redis.call('ZSCORE', KEYS[1], id) or '', redis.call('ZREVRANK', KEYS[1], id) or -1,
  redis.call('ZCARD', KEYS[1]), redis.call('HGET', KEYS[2], id) or '0', redis.call('HGET', KEYS[3], id) or ''}
for i = 4, #KEYS do
  out[#out + 1] = redis.call('HGET', KEYS[i], id) or '-1'
end
return out
