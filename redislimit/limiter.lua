-- The shared state of one action of one account: its slot clock, its adaptive
-- rate and its counts of recent calls and throttled replies, and the slot
-- clocks of the budgets it draws from. One script, three modes; the Go side
-- (redislimit.go) documents the algorithm, which is volcim.RateLimiter's.
--
-- KEYS[1]    the action's hash:
--              next   next free slot of the action (µs, Redis's clock)
--              rate   adapted calls per second
--              ceil   accepted calls per second at the last cut; 0 if none
--              adj    when rate was last changed (µs)
--              echo   throttled replies before this are echoes (µs)
--              hold   no slot before this: Retry-After (µs)
--              xe<i>, xn<i>  ring of throttled replies: bucket number, count
-- KEYS[2]    the calls let through: a sorted set of their slots (µs), from
--            a second ago on
-- KEYS[3..]  the budgets' next free units (µs), one string each
--
-- ARGV[1]  mode: "r" reserve a slot, "t" a throttled reply, "p" peek at the rate
-- ARGV[2]  now in µs, or "" for Redis's clock (tests drive the script with
--          explicit times)
-- ARGV[3]  the action's configured calls per second
-- "r":     ARGV[4] weight, ARGV[5] µs to the caller's deadline or "" for
--          none, ARGV[6] look-ahead in µs, ARGV[7] the caller's previous
--          slot (µs) if it let that slot go (it woke up too late), or "",
--          then per budget (in KEYS order) its units per second and its
--          burst
-- "t":     ARGV[4] Retry-After in µs (0: none)
--
-- Replies: "r" {0, wait, now}: booked, the call goes in wait µs;
--              {1, wait, now}: not booked, the slot comes after the deadline;
--              {2, retry, now}: not booked, the slot lies beyond the
--              look-ahead: ask again in retry µs;
--              now is the script's time (µs).
--          "t", "p" {rate}: the adapted rate, as a string.
--
-- Placeholders (replaced from the Go constants when the package loads):
-- $MARGIN spacing margin, $HOLD ThrottleHold µs, $BACKOFF ThrottleBackoff,
-- $SLOW RecoverSlow, $FAST RecoverFast, $MINSHARE MinRateShare, $ZONE the
-- width of the slow-recovery zone, $BUCKET bucket µs, $BUCKETS buckets per
-- second, $RING ring size, $IDLE ms the action's hash lives after its last
-- use.

if redis.replicate_commands then
	redis.replicate_commands() -- TIME before writes (Redis < 5)
end

local now
if ARGV[2] ~= '' then
	now = tonumber(ARGV[2])
else
	local t = redis.call('TIME')
	now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local mode = ARGV[1]
local conf = tonumber(ARGV[3])
local key, calls = KEYS[1], KEYS[2]

local function int(x)
	return string.format('%.0f', x)
end

local f = redis.call('HMGET', key, 'next', 'rate', 'ceil', 'adj', 'echo', 'hold')
local nextSlot = tonumber(f[1]) or 0
local rate = math.min(tonumber(f[2]) or conf, conf)
local ceil = tonumber(f[3]) or 0
local adj = tonumber(f[4]) or 0
local echo = tonumber(f[5]) or 0
local hold = tonumber(f[6]) or 0

-- Recovery: climb back toward the configured rate for the time since the
-- last change, RecoverSlow within ZONE of the ceiling, RecoverFast further.
if rate < conf and now >= echo then
	local elapsed = (now - math.max(adj, echo)) / 1000000
	if elapsed > 0 then
		local r = rate
		while elapsed > 0 and r < conf do
			local speed, edge = $FAST, conf
			local lo, hi = ceil * (1 - $ZONE), ceil * (1 + $ZONE)
			if r < lo then
				edge = lo
			elseif r < hi then
				speed, edge = $SLOW, hi
			end
			local step = speed * conf * elapsed
			if r + step <= edge then
				r = r + step
				elapsed = 0
			else
				elapsed = elapsed - (edge - r) / (speed * conf)
				r = edge
			end
		end
		rate = math.min(r, conf)
		adj = now
	end
end

if mode == 'p' then
	return {string.format('%.17g', rate)}
end

local function spacing(q)
	return math.ceil(1000000 / (q * $MARGIN))
end

local function bucket(t)
	return math.floor(t / $BUCKET)
end

-- count adds one to bucket b of a ring ('x': throttled replies).
local function count(ring, b)
	local i = b % $RING
	local ef, nf = ring .. 'e' .. i, ring .. 'n' .. i
	if tonumber(redis.call('HGET', key, ef)) == b then
		redis.call('HINCRBY', key, nf, 1)
	else
		redis.call('HSET', key, ef, int(b), nf, 1)
	end
end

-- sum counts a ring's events of the last second: the current bucket and the
-- ones before it.
local function sum(ring, t)
	local b = bucket(t)
	local fields = {}
	for j = b - $BUCKETS + 1, b do
		local i = j % $RING
		fields[#fields + 1] = ring .. 'e' .. i
		fields[#fields + 1] = ring .. 'n' .. i
	end
	local v = redis.call('HMGET', key, unpack(fields))
	local total, k = 0, 1
	for j = b - $BUCKETS + 1, b do
		if tonumber(v[k]) == j then
			total = total + (tonumber(v[k + 1]) or 0)
		end
		k = k + 2
	end
	return total
end

-- letThrough counts the calls whose slots lie in the last second: those the
-- server may have seen (calls booked for later are not among them).
local function letThrough(t)
	return redis.call('ZCOUNT', calls, '(' .. int(t - 1000000), int(t))
end

local function save()
	redis.call('HSET', key, 'next', int(nextSlot), 'rate', string.format('%.17g', rate),
		'ceil', string.format('%.17g', ceil), 'adj', int(adj), 'echo', int(echo), 'hold', int(hold))
	local last = math.max(nextSlot, hold, echo, now)
	redis.call('PEXPIRE', key, math.ceil((last - now) / 1000) + $IDLE)
end

if mode == 't' then
	local retryAfter = tonumber(ARGV[4])
	count('x', bucket(now))
	if retryAfter > 0 and now + retryAfter > hold then
		hold = now + retryAfter
	end
	if now >= echo then
		-- Slow down to ThrottleBackoff of what the server accepted in the
		-- last second; throttled replies in the next ThrottleHold are echoes.
		local accepted = letThrough(now) - sum('x', now)
		ceil = math.max(accepted, 1)
		rate = math.max(math.min(accepted, rate) * $BACKOFF, conf * $MINSHARE)
		adj = now
		echo = now + $HOLD
	end
	save()
	return {string.format('%.17g', rate)}
end

-- mode 'r'. A slot let go did not reach the server: it does not count.
if ARGV[7] ~= '' then
	redis.call('ZREM', calls, ARGV[7])
end

-- The earliest slot the budgets and the action's clock allow.
local weight = tonumber(ARGV[4])
local at = now
local nb = #KEYS - 2
local bnext, bint = {}, {}
local widest = 0
for i = 1, nb do
	local perSecond = tonumber(ARGV[6 + 2 * i])
	local burst = math.floor(tonumber(ARGV[7 + 2 * i]))
	local iv = spacing(perSecond)
	local n = tonumber(redis.call('GET', KEYS[i + 2])) or 0
	bnext[i], bint[i] = n, iv
	-- GCRA: a call of weight units may start burst-weight units ahead.
	local e = n - math.max(burst - weight, 0) * iv
	if e > at then
		at = e
	end
	widest = math.max(widest, iv)
end
at = math.max(at, nextSlot, hold)

local wait = at - now
if ARGV[5] ~= '' and wait > tonumber(ARGV[5]) then
	return {1, wait, now}
end
-- A heavy call may look further ahead, by its weight in the slowest budget,
-- so that lighter calls of the budget never starve it.
local lookahead = tonumber(ARGV[6])
local limit = lookahead + (weight - 1) * widest
if wait > limit then
	-- Come back when half the look-ahead is free again: the callers refused
	-- now then find room together, not one at a time.
	return {2, wait - limit + math.floor(lookahead / 2), now}
end

for i = 1, nb do
	local nn = math.max(at, bnext[i]) + weight * bint[i]
	redis.call('SET', KEYS[i + 2], int(nn), 'PX', math.ceil((nn - now) / 1000) + 1000)
end
nextSlot = at + spacing(rate)
-- The slots of one action are distinct: they name themselves.
redis.call('ZADD', calls, at, int(at))
redis.call('ZREMRANGEBYSCORE', calls, '-inf', '(' .. int(now - 1000000))
redis.call('PEXPIRE', calls, math.ceil((at - now) / 1000) + 1000)
save()
return {0, wait, now}
