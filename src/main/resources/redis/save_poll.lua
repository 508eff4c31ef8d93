-- Creates or replaces a poll (RedisEngine#savePoll): the document, the state the vote script
-- checks and the stage's creation-ordered poll list change together.
--
-- KEYS[1] plenum:{stage}:poll:<poll>    poll JSON (Wire.poll)
-- KEYS[2] plenum:{stage}:state:<poll>   draft | open | closed
-- KEYS[3] plenum:{stage}:polls          list of poll ids, creation order
-- KEYS[4] plenum:{stage}:closes:<poll>  the timer's deadline (epoch ms) the vote script checks
-- ARGV[1] poll JSON   ARGV[2] state   ARGV[3] poll id   ARGV[4] deadline ms, '' for none

if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('RPUSH', KEYS[3], ARGV[3])
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2])
if ARGV[4] ~= nil and ARGV[4] ~= '' then
  redis.call('SET', KEYS[4], ARGV[4])
else
  redis.call('DEL', KEYS[4])
end
return 1
