-- A stage's quiz leaderboard, read in one step (RedisEngine#leaderboard): the top listed participants
-- by points with their nicknames and correct answers. Opted-out participants (nickname "0:...") are
-- skipped and take no rank. Ties: a sorted set's reverse order (participant id descending), as
-- org.plenum.stage.QuizScores#top orders them.
--
-- KEYS[1] plenum:{stage}:quiz-score  KEYS[2] plenum:{stage}:quiz-correct  KEYS[3] plenum:{stage}:quiz-nick
-- KEYS[4] plenum:{stage}:quiz-scored
-- ARGV[1] how many rows
--
-- Returns {scored, participants, id1, points1, correct1, nick1 or "", id2, ...}.

local limit = tonumber(ARGV[1])
local out = {tonumber(redis.call('GET', KEYS[4]) or '0'), redis.call('ZCARD', KEYS[1])}
local start = 0
local batch = 50
while #out < 2 + limit * 4 do
  local page = redis.call('ZREVRANGE', KEYS[1], start, start + batch - 1, 'WITHSCORES')
  if #page == 0 then
    break
  end
  for i = 1, #page, 2 do
    local id = page[i]
    local nick = redis.call('HGET', KEYS[3], id)
    if not nick or string.sub(nick, 1, 1) == '1' then
      out[#out + 1] = id
      out[#out + 1] = page[i + 1]
      out[#out + 1] = redis.call('HGET', KEYS[2], id) or '0'
      out[#out + 1] = nick or ''
      if #out >= 2 + limit * 4 then
        break
      end
    end
  end
  start = start + batch
end
return out
