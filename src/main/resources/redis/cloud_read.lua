-- Reads a cloud's snapshot in one round trip (RedisEngine#cloudResults).
--
-- Twin: the same rules, in Java, are org.plenum.stage.CloudTally (results) and org.plenum.stage.CloudRanking (what the memory engine applies); change both
-- together. EngineContractTest holds both engines to them.
--
-- KEYS[1] plenum:{stage}:cloud-meta:<cloud>     hash: _v version, _n contributors, _e entries
-- KEYS[2] plenum:{stage}:cloud-rank:<cloud>     zset: key -> minus its contributor count
-- KEYS[3] plenum:{stage}:cloud-hidden:<cloud>   set of hidden keys
-- ARGV[1] how many visible words   ARGV[2] prefix "plenum:{stage}:cloud-spell:<cloud>:" (same slot)
--
-- Returns {version, contributors, entries, words, hidden}; words and hidden are lists of
-- {key, count, {spelling, tally, spelling, tally, ...}}. Words come best first: the ranking scores
-- minus the count, so ascending order is by count descending, then by key (bytewise) for ties.
-- Hidden words come in no particular order.

local meta = redis.call('HMGET', KEYS[1], '_v', '_n', '_e')
local top = tonumber(ARGV[1])
local hiddenKeys = redis.call('SMEMBERS', KEYS[3])
local isHidden = {}
for _, key in ipairs(hiddenKeys) do
  isHidden[key] = true
end

local function word(key, score)
  return {key, -tonumber(score), redis.call('HGETALL', ARGV[2] .. key)}
end

local words = {}
if top > 0 then
  -- Hidden words are ranked too; reading that many more always yields `top` visible ones.
  local ranked = redis.call('ZRANGE', KEYS[2], 0, top + #hiddenKeys - 1, 'WITHSCORES')
  for i = 1, #ranked, 2 do
    if #words >= top then
      break
    end
    if not isHidden[ranked[i]] then
      words[#words + 1] = word(ranked[i], ranked[i + 1])
    end
  end
end

local hidden = {}
for _, key in ipairs(hiddenKeys) do
  local score = redis.call('ZSCORE', KEYS[2], key)
  if score then
    hidden[#hidden + 1] = word(key, score)
  end
end

return {tonumber(meta[1] or '0'), tonumber(meta[2] or '0'), tonumber(meta[3] or '0'), words, hidden}
