-- Creates or replaces a word cloud (RedisEngine#saveCloud): the document, the phase the word
-- script checks and the stage's creation-ordered cloud list change together.
--
-- KEYS[1] plenum:{stage}:cloud:<cloud>         cloud JSON (Wire.cloud)
-- KEYS[2] plenum:{stage}:cloud-state:<cloud>   draft | open | closed
-- KEYS[3] plenum:{stage}:clouds                list of cloud ids, creation order
-- ARGV[1] cloud JSON   ARGV[2] phase   ARGV[3] cloud id

if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('RPUSH', KEYS[3], ARGV[3])
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2])
return 1
