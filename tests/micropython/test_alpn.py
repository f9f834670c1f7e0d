# ALPN through the `tls` module: CPython's ctx.set_alpn_protocols() and
# sock.selected_alpn_protocol(), on both sides; agreed, not offered, and
# no overlap (the server refuses with no_application_protocol, RFC 7301).
from tlswtest import *


def alpn(server_list, client_list):
    sctx = server_ctx()
    cctx = client_ctx()
    if server_list is not None:
        sctx.set_alpn_protocols(server_list)
    if client_list is not None:
        cctx.set_alpn_protocols(client_list)
    c, r = connect(sctx, cctx, server_hostname="localhost")
    if isinstance(c, Exception):
        got = ("client fails", "server fails" if "server_exc" in r else "server ok")
    else:
        got = (c.selected_alpn_protocol(), r["server"].selected_alpn_protocol())
    close(c, r)
    return got


check("agreed", alpn(["http/1.1"], ["x-none", "http/1.1"]), ("http/1.1", "http/1.1"))
check("client offers none", alpn(["h2"], None), (None, None))
check("server has none", alpn(None, ["h2"]), (None, None))
check("cleared with []", alpn(["h2"], []), (None, None))
check("no overlap", alpn(["h2"], ["mqtt"]), ("client fails", "server fails"))

ctx = client_ctx()
for bad in ([""], ["a" * 256], ["a,b"]):
    try:
        ctx.set_alpn_protocols(bad)
        got = "accepted"
    except ValueError:
        got = "ValueError"
    check("bad name %r" % (bad[0][:8],), got, "ValueError")
try:
    ctx.set_alpn_protocols("h2")
    got = "accepted"
except TypeError:
    got = "TypeError"
check("a str, not a list", got, "TypeError")
finish()
