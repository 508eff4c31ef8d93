-- Closes a poll whose timer ran out (RedisEngine#closePollAtDeadline), as a compare-and-set: only
-- if it is still open with exactly this deadline. Every node arms a timer for the poll, so several
-- may run this for the same deadline: the first closes it, the others find it changed and do
-- nothing. A moderator who moved or cleared the timer meanwhile changed the deadline: no close.
--
-- KEYS[1] plenum:{stage}:poll:<poll>    poll JSON
-- KEYS[2] plenum:{stage}:state:<poll>   draft | open | closed
-- KEYS[3] plenum:{stage}:closes:<poll>  deadline, epoch ms
-- ARGV[1] the deadline the timer was armed for (epoch ms)   ARGV[2] the closed poll's JSON
--
-- Returns 1 if this call closed the poll, 0 if nothing changed.

if redis.call('GET', KEYS[2]) ~= 'open' or redis.call('GET', KEYS[3]) ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], 'closed')
redis.call('DEL', KEYS[3])
return 1
