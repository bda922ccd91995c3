-- Applies one event to an order's view, once, atomically: de-duplication, the view, its timeline,
-- the customer's and the recent-orders indexes, the customer's notifications and the live push.
--
-- KEYS[1] the order's view (JSON)          KEYS[2] ids of the events applied to it (set)
-- KEYS[3] the customer's orders (zset)     KEYS[4] recent orders of every customer (zset)
-- KEYS[5] the customer's notifications (list, newest first)
-- ARGV[1] event id   ARGV[2] order id   ARGV[3] customer id
-- ARGV[4] event time, fixed-width ISO-8601 UTC (so that text order is time order)
-- ARGV[5] event time in epoch milliseconds
-- ARGV[6] the change (JSON): event, effect, status, rank, cancellable, payment/drink/delivery
--         {value, rank}, items, total, what, cancelReason, firsthand, message, always
-- ARGV[7] notifications kept per customer   ARGV[8] recent orders kept
-- ARGV[9] channel to publish the push on ('' publishes nothing, as in a rebuild)
-- Answers {applied 0|1, status, status changed 0|1}.
--
-- Status rules (events come from four topics in no agreed order, so nothing here depends on it):
-- * _pos is the furthest point of the happy path any event has shown (highest rank); a late event
--   never moves it back.
-- * _closed is the first terminal status seen (CANCELLED, REJECTED); it wins over everything.
-- * A cancellation is pending while more cancel requests than refusals have been seen, or once the
--   barista has taken the drink off the queue. Counting (not comparing event times) keeps a refusal
--   that overtook its request on another topic from leaving the order pending, whatever the clocks.
-- * Pending shows CANCEL_REQUESTED, unless _pos is past the point where a cancel can stop the order
--   (on its way or delivered): then the request is moot and _pos shows.
-- Internal fields start with '_' and are never shown.

local eventId, orderId, customerId = ARGV[1], ARGV[2], ARGV[3]
local at, atMs = ARGV[4], tonumber(ARGV[5])

if redis.call('SADD', KEYS[2], eventId) == 0 then
  return {0, '', 0}
end

local change = cjson.decode(ARGV[6])
local raw = redis.call('GET', KEYS[1])
local view
if raw then
  view = cjson.decode(raw)
else
  view = {id = orderId, customerId = customerId, createdAt = at, updatedAt = at, _createdMs = atMs, timeline = {}}
end
local before = view.status

if at < view.createdAt then
  view.createdAt = at
  view._createdMs = atMs
end
if at > view.updatedAt then
  view.updatedAt = at
end

-- Facts: firsthand ones (from the order service) replace, the others only fill gaps.
local function fact(field, value)
  if value ~= nil and (change.firsthand or view[field] == nil) then
    view[field] = value
  end
end
fact('items', change.items)
fact('total', change.total)
fact('_what', change.what)
fact('cancelReason', change.cancelReason)

-- Payment, drink and delivery each only move forward.
for _, part in ipairs({'payment', 'drink', 'delivery'}) do
  local step = change[part]
  local rankField = '_' .. part .. 'Rank'
  if step ~= nil and step.rank > (view[rankField] or 0) then
    view[part] = step.value
    view[rankField] = step.rank
  end
end

local function reach(status, rank, cancellable)
  if view._posRank == nil or rank > view._posRank then
    view._pos = status
    view._posRank = rank
    view._posCancellable = cancellable
  end
end

local effect = change.effect
if effect == 'ADVANCE' then
  reach(change.status, change.rank, change.cancellable)
elseif effect == 'CANCEL_REQUEST' then
  reach(change.status, change.rank, change.cancellable)
  view._requests = (view._requests or 0) + 1
elseif effect == 'CANCEL_REFUSED' then
  reach(change.status, change.rank, change.cancellable)
  view._refusals = (view._refusals or 0) + 1
elseif effect == 'CANCELLING' then
  view._cancelling = true
elseif effect == 'CLOSE' then
  if view._closed == nil then
    view._closed = change.status
  end
end

local status
local pending = view._cancelling or (view._requests or 0) > (view._refusals or 0)
if view._closed ~= nil then
  status = view._closed
elseif pending and view._posCancellable ~= false then
  status = 'CANCEL_REQUESTED'
else
  status = view._pos or 'PAID'
end
view.status = status
local changed = status ~= before

-- The timeline is kept in event-time order; equal times keep their arrival order.
local timeline = view.timeline
local i = #timeline
while i > 0 and timeline[i].at > at do
  i = i - 1
end
table.insert(timeline, i + 1, {event = change.event, at = at})

redis.call('SET', KEYS[1], cjson.encode(view))
redis.call('ZADD', KEYS[3], view._createdMs, orderId)
redis.call('ZADD', KEYS[4], view._createdMs, orderId)
redis.call('ZREMRANGEBYRANK', KEYS[4], 0, -(tonumber(ARGV[8]) + 1))

if (changed or change.always) and change.message ~= '' then
  local what = string.gsub(view._what or 'order', '%%', '%%%%')
  local message = string.gsub(change.message, '{what}', what)
  redis.call('LPUSH', KEYS[5], cjson.encode({orderId = orderId, status = status, event = change.event,
    message = message, at = at}))
  redis.call('LTRIM', KEYS[5], 0, tonumber(ARGV[7]) - 1)
end

if ARGV[9] ~= '' then
  redis.call('PUBLISH', ARGV[9], cjson.encode({customerId = customerId, orderId = orderId, status = status,
    event = change.event, at = at}))
end

return {1, status, changed and 1 or 0}
