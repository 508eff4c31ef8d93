-- Reads posts with their version and upvote count in one round trip (RedisEngine#post, #posts).
--
-- KEYS[1] plenum:{stage}:posts   list of post ids, creation order
-- ARGV[1] prefix "plenum:{stage}:" (the posts' own keys share the list's Cluster slot)
-- ARGV[2] a post id to read just that one; absent: every post of the stage in creation order
--
-- Returns a list of {doc, version, upvotes}, missing posts left out.

local ids
if ARGV[2] then
  ids = {ARGV[2]}
else
  ids = redis.call('LRANGE', KEYS[1], 0, -1)
end
local out = {}
for _, id in ipairs(ids) do
  local post = redis.call('HMGET', ARGV[1] .. 'post:' .. id, 'doc', 'v')
  if post[1] then
    out[#out + 1] = {post[1], tonumber(post[2]), redis.call('SCARD', ARGV[1] .. 'upvoters:' .. id)}
  end
end
return out
