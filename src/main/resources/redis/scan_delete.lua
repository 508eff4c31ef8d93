-- One bounded step of clearing a stage's keys (RedisEngine#deleteStage, #resetStage): a SCAN of
-- ARGV[3] keys from cursor ARGV[1] matching ARGV[2], acting on each match; the caller loops until
-- the cursor returned is "0". A step is bounded (COUNT), so a large keyspace never holds Redis long.
--
-- KEYS[1] a key of the stage (plenum:{stage}:polls): routes the call to the node owning the stage's
--         slot; every key the SCAN matches carries the same hash tag, so it is in that slot.
-- ARGV[1] cursor   ARGV[2] MATCH pattern "plenum:{stage}:*"   ARGV[3] COUNT
-- ARGV[4] "all": delete every match (stage deleted);
--         "reset": keep the definitions (poll:, polls, state:, cloud:, clouds, cloud-state:, talks,
--         presence, surveys, survey-state:), replace the aggregates that carry a version (counts:,
--         survey-counts:, cloud-meta:, reactions)
--         by their version plus one and zero counts, delete the rest (ballots, entries, posts,
--         upvotes, reaction minutes, action ids...)
-- ARGV[5] the stage's key prefix "plenum:{stage}:"
--
-- Returns {next cursor, keys deleted or replaced}.

local reply = redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', ARGV[3])
local prefix = ARGV[5]
local n = 0

local function starts(s, p)
  return string.sub(s, 1, #p) == p
end

for _, key in ipairs(reply[2]) do
  if ARGV[4] == 'all' then
    redis.call('UNLINK', key)
    n = n + 1
  else
    local rest = string.sub(key, #prefix + 1)
    local keep = rest == 'polls' or rest == 'clouds' or rest == 'talks' or rest == 'presence' or rest == 'surveys'
        or starts(rest, 'poll:') or starts(rest, 'state:') or starts(rest, 'cloud:') or starts(rest, 'cloud-state:')
        or starts(rest, 'survey-state:')
    if not keep then
      if starts(rest, 'counts:') or starts(rest, 'survey-counts:') or starts(rest, 'cloud-meta:') or rest == 'reactions' then
        local v = tonumber(redis.call('HGET', key, '_v') or '0') or 0
        redis.call('DEL', key)
        if rest == 'reactions' then
          redis.call('HSET', key, '_v', v + 1)
        elseif starts(rest, 'counts:') or starts(rest, 'survey-counts:') then
          redis.call('HSET', key, '_v', v + 1, '_n', 0)
        else
          redis.call('HSET', key, '_v', v + 1, '_n', 0, '_e', 0)
        end
      else
        redis.call('UNLINK', key)
      end
      n = n + 1
    end
  end
end
return {reply[1], n}
