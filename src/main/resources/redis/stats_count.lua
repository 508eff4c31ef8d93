-- Prepended (by RedisScripts) to each script that accepts an interaction: vote, submit_word,
-- submit_post, upvote, react. It counts the interaction in the same atomic step that accepts it, so a
-- retried action id, answered duplicate before this is reached, is never counted twice.
--
-- The calling script's last four KEYS and last six ARGV are this part's:
-- KEYS[n-3] plenum:{stage}:activity          hash: "<minute epoch second>|<kind>" -> count
-- KEYS[n-2] plenum:{stage}:activity-minutes  zset: the minutes with activity (to drop the oldest beyond the cap)
-- KEYS[n-1] plenum:{stage}:participants      HyperLogLog of the participant ids that interacted
-- KEYS[n]   plenum:{stage}:log               list of "<epoch ms>|<kind>|<target>|<participant>|<detail>", capped
-- ARGV[m-5] minute (epoch second)   ARGV[m-4] kind (ActivityKind wire name)   ARGV[m-3] participant id
-- ARGV[m-2] the log line            ARGV[m-1] most log lines kept   ARGV[m] most minutes kept
--
-- Twin: org.plenum.engine.MemoryStatistics.Stats#count; EngineContractTest holds both engines to it.

local KINDS = {'votes', 'words', 'questions', 'upvotes', 'comments', 'feedback', 'reactions', 'answers'}

local function count_interaction(counted)
  local k, a = #KEYS - 3, #ARGV - 5
  if counted then
    redis.call('HINCRBY', KEYS[k], ARGV[a] .. '|' .. ARGV[a + 1], 1)
    if redis.call('ZADD', KEYS[k + 1], 'NX', ARGV[a], ARGV[a]) == 1
        and redis.call('ZCARD', KEYS[k + 1]) > tonumber(ARGV[a + 5]) then
      local oldest = redis.call('ZPOPMIN', KEYS[k + 1])
      for _, kind in ipairs(KINDS) do
        redis.call('HDEL', KEYS[k], oldest[1] .. '|' .. kind)
      end
    end
  end
  redis.call('PFADD', KEYS[k + 2], ARGV[a + 2])
  redis.call('RPUSH', KEYS[k + 3], ARGV[a + 3])
  redis.call('LTRIM', KEYS[k + 3], -tonumber(ARGV[a + 4]), -1)
end

