#!/usr/bin/env python3
"""tlsw-server under hostile load (issue #13 item 5), on 127.0.0.1.

1,000 TCP connections that never send a byte, then 256 clients that
finish the TLS handshake and sit idle, are all held open; then a
legitimate client connects, handshakes, sends "ping" and times its first
echoed byte. Before the admission policy (examples/server/policy.c) the
server stopped accepting while its 256 slots were full: the legitimate
client waited out the silent ones' handshake limit (19 s measured) and
then the idle ones' --idle (300 s). The test fails if any legitimate
client takes 1 s or longer (BOUND_S, issue #13's bound) and prints every
time it measured. That leaves room for a loaded machine: on two cores,
both kept busy by two spinning processes, the worst of 18 clients in six
runs was 38 ms.

Usage: starve.py [SERVER OPTION...]   (e.g. --max-per-addr 64)
Environment: TLSW_SERVER, TLSW_CLIENT, TLSW_TEST_CERTS (tests/cli.cmake).
Exit 0 pass, 1 fail, 77 skip (the open-file limit cannot be raised).
"""
import os
import resource
import select
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

SILENT = 1000
IDLE = 256
LEGIT = 5
BOUND_S = 1.0
FLOOD_MAX = 3000  # more silent connections, opened while the clients run
NEED_FDS = SILENT + IDLE + FLOOD_MAX + 512  # the server inherits it too

SERVER = os.environ["TLSW_SERVER"]
CLIENT = os.environ.get("TLSW_CLIENT")
CERTS = os.environ["TLSW_TEST_CERTS"]
CA = os.path.join(CERTS, "ca.pem")


def fail(msg, log=None):
    print("FAIL: " + msg)
    if log is not None:
        with open(log) as f:
            lines = f.readlines()
        print("--- server log (last 15 of %d lines)" % len(lines))
        sys.stdout.write("".join(lines[-15:]))
    sys.exit(1)


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= NEED_FDS:
        return soft
    if hard != resource.RLIM_INFINITY and hard < NEED_FDS:
        print("SKIP: needs %d open files, the hard limit is %d" %
              (NEED_FDS, hard))
        sys.exit(77)
    resource.setrlimit(resource.RLIMIT_NOFILE, (NEED_FDS, hard))
    return NEED_FDS


def start_server(log):
    cmd = [SERVER, "--cert", os.path.join(CERTS, "server-ec.pem"), "--key",
           os.path.join(CERTS, "server-ec.key"), "--port", "0"] + sys.argv[1:]
    srv = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log)
    p = select.poll()
    p.register(srv.stdout, select.POLLIN)
    if not p.poll(10000):
        srv.kill()
        fail("the server printed no 'listening on' line within 10 s")
    line = srv.stdout.readline().decode()
    if not line.startswith("listening on 127.0.0.1:"):
        srv.kill()
        fail("unexpected first line from the server: %r" % line)
    return srv, int(line.split()[2].rsplit(":", 1)[1])


def tls_context():
    ctx = ssl.create_default_context(cafile=CA)
    return ctx


def legit_client(ctx, port):
    """Seconds from connect() to the first echoed byte."""
    try:
        return legit_client_once(ctx, port)
    except (OSError, ssl.SSLError) as e:
        fail("the legitimate client was not served: %s" % e)


def legit_client_once(ctx, port):
    t0 = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=20) as raw:
        # As tlsw-client does: "ping" must not wait for a delayed ACK.
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with ctx.wrap_socket(raw, server_hostname="localhost") as s:
            s.sendall(b"ping\n")
            got = s.recv(16)
            t = time.monotonic() - t0
            if not got.startswith(b"p"):
                fail("the legitimate client got %r, not its echo" % got)
    return t


def tool_client(port):
    """The real tlsw-client as the legitimate client: seconds from its start
    to the first echoed byte on its stdout."""
    t0 = time.monotonic()
    cl = subprocess.Popen([CLIENT, "--cafile", CA, "--wait", "0", "--timeout",
                           "20", "localhost:%d" % port],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE)
    cl.stdin.write(b"ping\n")
    cl.stdin.flush()
    p = select.poll()
    p.register(cl.stdout, select.POLLIN)
    ready = p.poll(20000)
    t = time.monotonic() - t0
    got = os.read(cl.stdout.fileno(), 16) if ready else b""
    cl.stdin.close()
    try:
        cl.wait(20)
    except subprocess.TimeoutExpired:
        cl.kill()
        cl.wait()
    return t, got, cl.returncode, cl.stderr.read()


def closed_by_server(socks):
    """How many of socks the server has closed (readable: EOF or reset)."""
    p = select.poll()
    for s in socks:
        p.register(s, select.POLLIN)
    return len(p.poll(0))


def hold_load(port, silent_first, log):
    """Open and keep the silent and the idle connections, in either order."""
    silent, idle = [], []
    ctx = tls_context()

    def open_silent():
        # Not waiting for connect(): a server that stops accepting leaves
        # these in (or out of) its queue, and the test goes on to show what
        # that does to the clients that follow.
        for _ in range(SILENT):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            silent.append(s)

    def open_idle():
        for i in range(IDLE):
            raw = socket.create_connection(("127.0.0.1", port), timeout=10)
            try:
                idle.append(ctx.wrap_socket(raw, server_hostname="localhost"))
            except (ssl.SSLError, OSError) as e:
                fail("idle client %d: handshake failed: %s" % (i, e), log)

    for step in (open_silent, open_idle) if silent_first else (open_idle,
                                                                open_silent):
        step()
    return silent, idle


class Flood(threading.Thread):
    """Silent connections opened one a millisecond (about the 1,000 a
    second of issue #13) until stopped: every one of them makes the server
    evict, while a legitimate client is still in its handshake. They come
    from 127.0.0.2 (all of 127/8 is loopback), so that --max-per-addr can
    tell them from the legitimate clients on 127.0.0.1."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port = port
        self.socks = []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set() and len(self.socks) < FLOOD_MAX:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.2", 0))
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", self.port))
            self.socks.append(s)
            time.sleep(0.001)


def scenario(silent_first, limit, flood=False):
    order = "silent, then idle" if silent_first else "idle, then silent"
    if flood:
        order += ", then a stream of silent ones"
    log = tempfile.NamedTemporaryFile("w+", prefix="tlsw-starve.",
                                      suffix=".log", delete=False)
    srv, port = start_server(log)
    silent, idle = [], []
    try:
        base = legit_client(tls_context(), port)
        print("idle server (%s next): legitimate client served in %.1f ms" %
              (order, base * 1000))
        t0 = time.monotonic()
        silent, idle = hold_load(port, silent_first, log.name)
        setup = time.monotonic() - t0
        time.sleep(0.2)
        print("load (%s): %d silent + %d idle-after-handshake connections "
              "held open in %.2f s (fd limit %d); the server has closed %d "
              "silent and %d idle of them" %
              (order, SILENT, IDLE, setup, limit, closed_by_server(silent),
               closed_by_server(idle)))
        ctx = tls_context()
        fl = Flood(port)
        if flood:
            fl.start()
            time.sleep(1.0)  # into its stride: every slot churning
        times = [legit_client(ctx, port) for _ in range(LEGIT)]
        print("  legitimate client (Python ssl), time to first echoed byte: " +
              ", ".join("%.1f ms" % (t * 1000) for t in times))
        if CLIENT:
            t, got, rc, err = tool_client(port)
            print("  legitimate client (tlsw-client), start to first echoed "
                  "byte: %.1f ms, exit %s" % (t * 1000, rc))
            if rc != 0 or got != b"ping\n":
                fail("tlsw-client under load: exit %s, out %r, err %r" %
                     (rc, got, err), log.name)
            times.append(t)
        if flood:
            fl.stop.set()
            fl.join()
            print("  %d more silent connections opened meanwhile" %
                  len(fl.socks))
        if srv.poll() is not None:
            fail("the server exited (%d) under load" % srv.returncode,
                 log.name)
    finally:
        fl.stop.set()
        if fl.is_alive():
            fl.join()
        for s in silent + idle + fl.socks:
            s.close()
        srv.send_signal(signal.SIGTERM)
        try:
            srv.wait(20)
        except subprocess.TimeoutExpired:
            srv.kill()
            fail("the server did not stop on SIGTERM within 20 s", log.name)
    log.flush()
    with open(log.name) as f:
        text = f.read()
    # 0 after SIGTERM; a sanitizer build also reports leaks here.
    if srv.returncode != 0:
        fail("the server exited %d after SIGTERM" % srv.returncode, log.name)
    evicted = text.count("closed: evicted")
    print("  server: %d connections evicted to make room" % evicted)
    # The attack must have filled the server: room was made by eviction,
    # not found free.
    if evicted == 0:
        fail("no connection was evicted: the load did not fill the server",
             log.name)
    worst = max(times)
    if worst >= BOUND_S:
        fail("a legitimate client waited %.2f s (bound %.1f s)" %
             (worst, BOUND_S), log.name)
    os.unlink(log.name)
    return worst


def main():
    limit = raise_fd_limit()
    worst = max(scenario(False, limit), scenario(True, limit),
                scenario(False, limit, flood=True))
    print("ok - legitimate clients served in at most %.1f ms under load" %
          (worst * 1000))


if __name__ == "__main__":
    main()
