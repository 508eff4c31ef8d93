-- Prepended (by RedisScripts) to each script that accepts an interaction: vote, submit_word,
-- submit_post, upvote, react. It counts the interaction in the same atomic step that accepts it, so a
-- retried action id, answered duplicate before this is reached, is never counted twice.
--
-- The calling script's last three KEYS and last five ARGV are this part's:
-- KEYS[n-2] plenum:{stage}:activity       hash: "<minute epoch second>|<kind>" -> count
-- KEYS[n-1] plenum:{stage}:participants   HyperLogLog of the participant ids that interacted
-- KEYS[n]   plenum:{stage}:log            list of "<epoch ms>|<kind>|<target>|<participant>|<detail>", capped
-- ARGV[m-4] minute (epoch second)   ARGV[m-3] kind (ActivityKind wire name)   ARGV[m-2] participant id
-- ARGV[m-1] the log line            ARGV[m]   most log lines kept
--
-- Twin: org.plenum.engine.MemoryStatistics.Stats#count; EngineContractTest holds both engines to it.

local function count_interaction(counted)
  local k, a = #KEYS - 2, #ARGV - 4
  if counted then
    redis.call('HINCRBY', KEYS[k], ARGV[a] .. '|' .. ARGV[a + 1], 1)
  end
  redis.call('PFADD', KEYS[k + 1], ARGV[a + 2])
  redis.call('RPUSH', KEYS[k + 2], ARGV[a + 3])
  redis.call('LTRIM', KEYS[k + 2], -tonumber(ARGV[a + 4]), -1)
end

