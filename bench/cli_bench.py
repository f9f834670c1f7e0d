#!/usr/bin/env python3
"""The command-line tools against OpenSSL's, same peer on both sides.

  bench/cli_bench.py --bin BUILD/examples --certs DIR [--quick]

Three rows, each run interleaved (tlswrap's tool, then OpenSSL's, then
again) and reported as medians with the ratio tlswrap/OpenSSL:

  handshakes  `openssl s_time -new` against tlsw-server and openssl s_server:
              handshakes per wall second, and the server's CPU time per
              handshake (from /proc, so a busy machine barely moves it)
  echo        one Python ssl client streams data through tlsw-server's echo
              and through openssl s_server whose stdout is piped back to its
              stdin (an echo): MB/s both ways
  download    tlsw-client and openssl s_client fetch one file from
              `openssl s_server -WWW`: MB/s and the client's CPU time

All on 127.0.0.1, ECDSA P-256 certificates from tests/fixtures, TLS 1.3
with the tools' default suites. Figures are for comparison on one machine,
not absolute.
"""
import argparse
import os
import re
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time

CLK = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_cpu(pid):
    """utime + stime of a process, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK


def wait_port(port, deadline=10.0):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


class Server:
    """A server process on a free port, stopped on exit."""

    def __init__(self, argv_for_port, shell=False, cwd=None):
        self.port = free_port()
        argv = argv_for_port(self.port)
        self.p = subprocess.Popen(argv, shell=shell, cwd=cwd,
                                  stdin=subprocess.DEVNULL if not shell else None,
                                  stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL,
                                  start_new_session=True)
        wait_port(self.port)

    def cpu(self):
        # With a shell pipeline the server is the shell's child.
        total = 0.0
        for pid in self.pids():
            try:
                total += proc_cpu(pid)
            except OSError:
                pass
        return total

    def pids(self):
        out = subprocess.run(["pgrep", "-s", str(self.p.pid)],
                             capture_output=True, text=True).stdout
        return [int(x) for x in out.split()] or [self.p.pid]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        try:
            os.killpg(self.p.pid, 15)
        except ProcessLookupError:
            pass
        self.p.wait(timeout=10)


def tlsw_server(a, extra=()):
    return lambda port: [f"{a.bin}/tlsw-server", "--cert", f"{a.certs}/server-ec.pem",
                         "--key", f"{a.certs}/server-ec.key", "-q", "-p", str(port),
                         *extra]


def openssl_server(a, extra=()):
    return lambda port: ["openssl", "s_server", "-quiet", "-accept", str(port),
                         "-cert", f"{a.certs}/server-ec.pem",
                         "-key", f"{a.certs}/server-ec.key", *extra]


def handshakes(a, make_server):
    with Server(make_server) as srv:
        cpu0 = srv.cpu()
        t0 = time.monotonic()
        out = subprocess.run(["openssl", "s_time", "-connect", f"127.0.0.1:{srv.port}",
                              "-new", "-time", str(a.secs)],
                             capture_output=True, text=True).stdout
        wall = time.monotonic() - t0
        cpu = srv.cpu() - cpu0
    m = re.search(r"(\d+) connections in [\d.]+s", out)
    n = int(m.group(1)) if m else 0
    if n == 0:
        raise RuntimeError("s_time made no connection:\n" + out)
    return {"hs/s": n / wall, "server ms/hs": 1000 * cpu / n}


def echo(a, make_server, shell=False):
    total = a.mb << 20
    with Server(make_server, shell=shell) as srv:
        ctx = ssl.create_default_context(cafile=f"{a.certs}/ca.pem")
        raw = socket.create_connection(("127.0.0.1", srv.port))
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s = ctx.wrap_socket(raw, server_hostname="localhost")
        block = os.urandom(16384)
        got = [0]

        def reader():
            while got[0] < total:
                d = s.recv(65536)
                if not d:
                    break
                got[0] += len(d)

        t0 = time.monotonic()
        th = threading.Thread(target=reader)
        th.start()
        for _ in range(total // len(block)):
            s.sendall(block)
        th.join(timeout=120)
        wall = time.monotonic() - t0
        s.close()
    if got[0] < total:
        raise RuntimeError(f"echo returned {got[0]} of {total} bytes")
    return {"echo MB/s": a.mb / wall}


def download(a, client_argv, stdin=None):
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "f.bin"), "wb") as f:
            f.write(os.urandom(1 << 20) * a.mb)
        with Server(openssl_server(a, ["-WWW"]), cwd=d) as srv:
            r0 = os.times()
            t0 = time.monotonic()
            p = subprocess.run(client_argv(srv.port), input=stdin,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            wall = time.monotonic() - t0
            r1 = os.times()
    if len(p.stdout) < (a.mb << 20):
        raise RuntimeError(f"download got {len(p.stdout)} bytes")
    cpu = (r1.children_user - r0.children_user) + (r1.children_system - r0.children_system)
    return {"download MB/s": a.mb / wall, "client CPU s": cpu}


def interleave(reps, pairs):
    """pairs: name -> (tlswrap_fn, openssl_fn). Medians per figure."""
    res = {}
    for _ in range(reps):
        for name, (fa, fb) in pairs.items():
            for side, fn in (("tlswrap", fa), ("openssl", fb)):
                for k, v in fn().items():
                    res.setdefault((name, k), {}).setdefault(side, []).append(v)
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True, help="directory with tlsw-server and tlsw-client")
    ap.add_argument("--certs", required=True, help="tests/fixtures/gen-certs.sh output")
    ap.add_argument("--quick", action="store_true", help="1 repetition, short runs")
    a = ap.parse_args()
    a.bin, a.certs = os.path.abspath(a.bin), os.path.abspath(a.certs)
    a.secs = 2 if a.quick else 5
    a.mb = 16 if a.quick else 64
    reps = 1 if a.quick else 3
    cafile = f"{a.certs}/ca.pem"
    fifo_echo = lambda port: (
        f"f=$(mktemp -u); mkfifo $f; "
        f"openssl s_server -quiet -accept {port} -cert {a.certs}/server-ec.pem "
        f"-key {a.certs}/server-ec.key <$f | cat >$f")
    pairs = {
        "handshakes": (lambda: handshakes(a, tlsw_server(a)),
                       lambda: handshakes(a, openssl_server(a))),
        "echo": (lambda: echo(a, tlsw_server(a)),
                 lambda: echo(a, fifo_echo, shell=True)),
        "download": (
            lambda: download(a, lambda port: [f"{a.bin}/tlsw-client", "--cafile", cafile,
                                              "--servername", "localhost",
                                              f"https://127.0.0.1:{port}/f.bin"]),
            lambda: download(a, lambda port: ["openssl", "s_client", "-quiet",
                                              "-CAfile", cafile, "-servername", "localhost",
                                              "-verify_return_error", "-ign_eof",
                                              "-connect", f"127.0.0.1:{port}"],
                             stdin=b"GET /f.bin HTTP/1.0\r\n\r\n")),
    }
    res = interleave(reps, pairs)
    print(f"\n== the tools ({reps} repetition(s), medians; {a.mb} MB transfers)")
    print(f"  {'figure':<28} {'tlswrap':>10} {'OpenSSL':>10} {'ratio':>7}")
    for (name, k), sides in res.items():
        t, o = statistics.median(sides["tlswrap"]), statistics.median(sides["openssl"])
        print(f"  {name + ': ' + k:<28} {t:>10.2f} {o:>10.2f} {t / o:>7.2f}")
    print("  (ratio = tlswrap / OpenSSL; for 'server ms/hs' and 'client CPU s' lower is better)")


if __name__ == "__main__":
    sys.exit(main())
