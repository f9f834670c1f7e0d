-- Shared helpers of the Lua tests: fixture paths, an in-process transport
-- pair, child processes with bounded lifetimes, and a tiny assertion set.
local H = {}

H.certs = assert(os.getenv("TLSW_TEST_CERTS"), "TLSW_TEST_CERTS is not set")

function H.fixture(name) return H.certs .. "/" .. name end

-- require each module named, or end the test as skipped (exit 77: an
-- optional peer library such as LuaSocket is not installed). Returns the
-- modules. what: the name a person knows them by, for the message.
function H.need(what, ...)
  local mods = {}
  for i, name in ipairs({...}) do
    local ok, m = pcall(require, name)
    if not ok then
      print(what .. " missing: skipped")
      os.exit(77)
    end
    mods[i] = m
  end
  return (table.unpack or unpack)(mods)
end

function H.readfile(name)
  local f = assert(io.open(H.fixture(name), "rb"))
  local s = f:read("a")
  f:close()
  return s
end

-- A non-blocking in-memory pipe: two endpoints, each with send/receive in
-- the cosocket style tlswrap's object transport expects. receive(n) hands
-- back at most n queued bytes or nil, "timeout"; a closed peer gives
-- nil, "closed" once the queue is empty.
function H.pipe()
  local a2b, b2a = {}, {}
  local function endpoint(out, inq)
    local ep = { sent = 0, closed = false }
    function ep:send(data)
      if self.closed or inq.closed then return nil, "closed", 0 end
      out[#out + 1] = data
      self.sent = self.sent + #data
      return #data
    end
    function ep:receive(n)
      if #inq == 0 then
        if inq.eof then return nil, "closed" end
        return nil, "timeout"
      end
      local s = table.remove(inq, 1)
      if #s > n then
        table.insert(inq, 1, s:sub(n + 1))
        s = s:sub(1, n)
      end
      return s
    end
    function ep:close()
      self.closed = true
      out.eof = true
    end
    return ep
  end
  return endpoint(a2b, b2a), endpoint(b2a, a2b)
end

function H.server_ctx(kind)
  local tls = require "tlswrap"
  local ctx = tls.SSLContext(tls.PROTOCOL_TLS_SERVER)
  kind = kind or "ec"
  assert(ctx:load_cert_chain(H.fixture("server-" .. kind .. ".pem"),
                             H.fixture("server-" .. kind .. ".key")))
  return ctx
end

function H.client_ctx()
  local tls = require "tlswrap"
  local ctx = tls.SSLContext(tls.PROTOCOL_TLS_CLIENT)
  assert(ctx:load_verify_locations { cafile = H.fixture("ca.pem") })
  return ctx
end

-- Drive two non-blocking handshakes in turns until both finish or one
-- fails. Returns true or false, client error, server error.
function H.handshake(cli, srv)
  local cdone, sdone, cerr, serr
  for _ = 1, 200 do
    if not cdone then
      local ok, e = cli:dohandshake()
      if ok then cdone = true
      elseif e ~= "wantread" and e ~= "wantwrite" then cerr = e end
    end
    if not sdone then
      local ok, e = srv:dohandshake()
      if ok then sdone = true
      elseif e ~= "wantread" and e ~= "wantwrite" then serr = e end
    end
    if (cdone and sdone) or cerr or serr then break end
  end
  if cdone and sdone then return true end
  return false, cerr, serr
end

-- A connected client/server pair over H.pipe(), handshake done.
function H.pair(cctx, sctx, host)
  local a, b = H.pipe()
  local cli = assert(cctx:wrap_socket(a, { server_hostname = host or "localhost",
                                           do_handshake_on_connect = false }))
  local srv = assert(sctx:wrap_socket(b, { server_side = true,
                                           do_handshake_on_connect = false }))
  cli:settimeout(0)
  srv:settimeout(0)
  local ok, ce, se = H.handshake(cli, srv)
  return cli, srv, ok, ce, se
end

-- Run a shell command in the background under a hard time limit
-- (timeout(1)); returns its pid and a file reading its stdout+stderr.
-- A sanitizer runtime preloaded for this interpreter (TLSW_SANITIZE builds)
-- is dropped for the child unless keep_preload: an instrumented program
-- brings its own, and two runtimes refuse to start.
function H.spawn(cmd, limit, keep_preload)
  local env = keep_preload and "" or "env -u LD_PRELOAD "
  local f = assert(io.popen(string.format(
    "exec 2>&1; echo $$; exec %stimeout %d %s", env, limit or 30, cmd), "r"))
  local pid = tonumber(f:read("l"))
  return pid, f
end

-- Read lines from f until one matches pat; returns the capture.
function H.expect(f, pat)
  for line in f:lines() do
    local m = line:match(pat)
    if m then return m end
  end
  return nil
end

function H.kill(pid)
  if pid then os.execute("kill " .. pid .. " 2>/dev/null") end
end

local failures = 0
function H.check(cond, what, ...)
  if cond then
    io.write("ok   ", what, "\n")
  else
    failures = failures + 1
    io.write("FAIL ", what, " ", tostring((...)), "\n")
  end
  io.flush()
  return cond
end

function H.eq(got, want, what)
  return H.check(got == want, what, string.format("got %q want %q",
                 tostring(got), tostring(want)))
end

function H.done()
  collectgarbage()
  if failures > 0 then
    io.write(failures, " check(s) failed\n")
    os.exit(1)
  end
  io.write("all checks passed\n")
  os.exit(0)
end

return H
