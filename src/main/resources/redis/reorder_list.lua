-- Puts a stage's polls or clouds in a new order (RedisEngine#reorderPolls, #reorderClouds), only if
-- the ids given are exactly the ids listed (each once): else changes nothing.
--
-- KEYS[1] plenum:{stage}:polls or plenum:{stage}:clouds (list of ids)
-- ARGV    the ids in their new order
--
-- Returns 1 if reordered, 0 if the ids are not a permutation of the list.

local current = redis.call('LRANGE', KEYS[1], 0, -1)
if #current ~= #ARGV then
  return 0
end
local listed = {}
for _, id in ipairs(current) do
  listed[id] = true
end
local named = {}
for _, id in ipairs(ARGV) do
  if not listed[id] or named[id] then
    return 0
  end
  named[id] = true
end
if #ARGV > 0 then
  redis.call('DEL', KEYS[1])
  for _, id in ipairs(ARGV) do
    redis.call('RPUSH', KEYS[1], id)
  end
end
return 1
