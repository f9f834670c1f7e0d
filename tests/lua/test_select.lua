-- Non-blocking handshake and transfer over real loopback sockets, both
-- ends in this process, driven only by socket.select on the connections
-- themselves (getfd/dirty) with timeout 0.
local H = require "helper"
local socket = H.need("LuaSocket", "socket")
local check, eq = H.check, H.eq

local server = assert(socket.bind("127.0.0.1", 0))
local _, port = server:getsockname()
local raw_c = assert(socket.tcp())
raw_c:settimeout(5)
assert(raw_c:connect("127.0.0.1", port))
server:settimeout(5)
local raw_s = assert(server:accept())

local cli = assert(H.client_ctx():wrap_socket(raw_c,
  { server_hostname = "localhost", do_handshake_on_connect = false }))
local srv = assert(H.server_ctx():wrap_socket(raw_s,
  { server_side = true, do_handshake_on_connect = false }))
cli:settimeout(0)
srv:settimeout(0)

-- Step fn(conn) until it returns true, waiting with select on what
-- each connection says it wants. fns: { [conn] = step }.
local function drive(fns, what)
  local waits, rounds = 0, 0
  while next(fns) do
    local rd, wr = {}, {}
    for conn, step in pairs(fns) do
      local done, want = step(conn)
      if done then
        fns[conn] = nil
      elseif want == "wantread" then
        rd[#rd + 1] = conn
      elseif want == "wantwrite" then
        wr[#wr + 1] = conn
      else
        check(false, what .. ": unexpected error", want)
        return false
      end
    end
    if next(fns) then
      local r, w, e = socket.select(rd, wr, 5)
      if e == "timeout" then
        check(false, what .. ": select timed out")
        return false
      end
      waits = waits + 1
    end
    rounds = rounds + 1
    if rounds > 100000 then return false end
  end
  return true, waits
end

local function hs(conn)
  local ok, e = conn:dohandshake()
  return ok, e
end
local ok, waits = drive({ [cli] = hs, [srv] = hs }, "handshake")
check(ok, "non-blocking handshake over select (" .. tostring(waits) ..
      " waits)")
eq(cli:version(), "TLSv1.3", "version")

-- 4 MiB each way: the client sends, the server reads and echoes; both use
-- LuaSocket's partial results to resume.
local N = 4 * 1024 * 1024
local chunk = string.rep("tlswrap!", 8192) -- 64 KiB
local sent_c, got_s, sent_s, got_c = 0, 0, 0, 0
local pending_echo = ""
local recv_parts = {}
local function client_step(conn)
  -- send what is left, then read echoes
  while sent_c < N do
    local i, e, last = conn:send(chunk, 1, math.min(#chunk, N - sent_c))
    if i then sent_c = sent_c + i
    else
      sent_c = sent_c + last
      if e ~= "wantwrite" and e ~= "wantread" then return nil, e end
      break
    end
  end
  while got_c < N do
    local d, e, part = conn:receive(math.min(65536, N - got_c))
    d = d or part
    got_c = got_c + #d
    if #d > 0 then recv_parts[#recv_parts + 1] = d:sub(1, 8) end
    if e then
      if e ~= "wantread" and e ~= "wantwrite" then return nil, e end
      if sent_c < N then return false, "wantwrite" end
      return false, e
    end
  end
  return true
end
local function server_step(conn)
  while true do
    if #pending_echo > 0 then
      local i, e, last = conn:send(pending_echo)
      if i then pending_echo = ""
      else
        pending_echo = pending_echo:sub(last + 1)
        return false, e
      end
    end
    if got_s >= N then return true end
    local d, e, part = conn:receive(65536)
    d = d or part
    got_s = got_s + #d
    pending_echo = d
    if e and #d == 0 then
      if e ~= "wantread" and e ~= "wantwrite" then return nil, e end
      return false, e
    end
  end
end
local ok2 = drive({ [cli] = client_step, [srv] = server_step }, "transfer")
check(ok2, "4 MiB echoed over select")
eq(got_c, N, "client got every byte back")
eq(recv_parts[1], "tlswrap!", "content intact")

-- dirty(): bytes decrypted but unread make select report the connection
-- readable without waiting.
cli:send("abcdef")
local r = socket.select({ srv }, nil, 5)
check(#r == 1, "select wakes for data")
eq(srv:receive(2), "ab", "read part of it")
eq(srv:dirty(), true, "dirty() with the rest buffered")
local t0 = socket.gettime()
r = socket.select({ srv }, nil, 2)
check(#r == 1 and socket.gettime() - t0 < 1, "select returns at once on dirty")
eq(srv:receive(4), "cdef", "the rest")

cli:close()
srv:settimeout(5)
local _, e = srv:receive("*a")
check(e == nil, "*a ends at close_notify")
srv:close()
server:close()
H.done()
