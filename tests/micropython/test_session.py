# Resumption through the `tls` module: CPython's sock.session and
# sock.session_reused, the session given back with
# wrap_socket(session=...) (bytes here, so it can be kept across a reset).
# TLS 1.2 (the module's default) and TLS 1.3 (maximum_version).
from tlswtest import *


def resume(tls13):
    sctx = server_ctx()
    cctx = client_ctx()
    if tls13:
        sctx.maximum_version = tls.TLSVersion.TLSv1_3
        cctx.maximum_version = tls.TLSVersion.TLSv1_3
    name = "TLS 1.3" if tls13 else "TLS 1.2"
    c, r = connect(sctx, cctx, server_hostname="localhost")
    if isinstance(c, Exception):
        check(name + " first connection", repr(c), "ok")
        return
    check(name + " version", c.cipher()[1], "TLSv1.3" if tls13 else "TLSv1.2")
    sess = c.session  # TLS 1.3: the ticket came with the echo read
    check(name + " session is bytes", type(sess), bytes)
    check(name + " first not reused", (c.session_reused, r["server"].session_reused),
          (False, False))
    check(name + " server session", r["server"].session, None)
    close(c, r)
    c, r = connect(sctx, cctx, server_hostname="localhost", session=sess)
    if isinstance(c, Exception):
        check(name + " second connection", repr(c), "ok")
        return
    check(name + " second reused", (c.session_reused, r["server"].session_reused),
          (True, True))
    close(c, r)
    # A ticket a server cannot open (another context's keys) costs a full
    # handshake only (TLS 1.2 could still resume by ID: the session cache
    # is the process's).
    if tls13:
        c, r = connect(sctx_13(), cctx, server_hostname="localhost", session=sess)
        check(name + " other server: full handshake",
              repr(c) if isinstance(c, Exception) else c.session_reused, False)
        close(c, r)
    # Bytes that are no session are refused before anything is sent.
    try:
        cctx.wrap_socket(socket.socket(), server_hostname="localhost",
                         session=b"\x00" * 40)
        got = "accepted"
    except OSError as e:
        got = "OSError"
    check(name + " junk session refused", got, "OSError")


def sctx_13():
    s = server_ctx()
    s.maximum_version = tls.TLSVersion.TLSv1_3
    return s


resume(False)
resume(True)
try:
    client_ctx().wrap_socket(None, session=b"x")
    got = "accepted"
except (TypeError, OSError, ValueError) as e:
    got = type(e).__name__
check("wrap_socket(non-stream, session=)", got in ("TypeError", "OSError"), True)
finish()
