-- Puts an event's stages in a new order (RedisEngine#reorderStages), only if the ids given are
-- exactly the ids in the sorted set (each once): else changes nothing. The set's scores (creation
-- sequence numbers) are handed out again in the new order, so a stage created later still sorts last.
--
-- KEYS[1] plenum:{plenum}:event-stages:<event> (sorted set: stage id -> sequence number)
-- ARGV    the stage ids in their new order
--
-- Returns 1 if reordered, 0 if the ids are not a permutation of the set.

local current = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
if #current / 2 ~= #ARGV then
  return 0
end
local listed = {}
local scores = {}
for i = 1, #current, 2 do
  listed[current[i]] = true
  scores[#scores + 1] = current[i + 1]
end
local named = {}
for _, id in ipairs(ARGV) do
  if not listed[id] or named[id] then
    return 0
  end
  named[id] = true
end
for i, id in ipairs(ARGV) do
  redis.call('ZADD', KEYS[1], scores[i], id)
end
return 1
