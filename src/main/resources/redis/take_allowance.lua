-- One token from a deployment-wide allowance (GCRA): at most count per window, refilled evenly.
-- KEYS[1] the allowance (plenum:{stageId}:allowance:<what>), ARGV[1] the emission interval in ms,
-- ARGV[2] the burst tolerance in ms (interval * (count - 1)).
-- Returns 0 when taken, else the milliseconds until one would be. Redis's own clock, so every node
-- sees the same time; the key expires when the allowance is full again.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then
  tat = now
end
local ahead = tat - now
if ahead > tolerance then
  return ahead - tolerance
end
local next = tat + interval
redis.call('SET', KEYS[1], next, 'PX', next - now)
return 0
