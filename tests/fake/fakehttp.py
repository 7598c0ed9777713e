"""fakehttp.py — what the fakes share (Python standard library only):
a threaded server on 127.0.0.1 at an ephemeral port, optionally HTTPS,
whose port is published through --port-file once it listens (write to a
temp file, then rename, so a reader never sees half a number); the fault
specs the fakes take on their command line and at /_control/faults; one
base request handler (reply, read the body, take a fault, the control
route); and a watch that ends a fake whose parent is gone, so a test
killed with SIGKILL leaves no server behind.
"""
import json
import os
import re
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

JSON = "application/json; charset=utf-8"


def parse_fault(spec):
    """KIND[:ARG][xN][@PATHPREFIX] -> {"kind", "arg", "left", "prefix"}:
    the next N matching requests (under PATHPREFIX, if given) get KIND."""
    if not isinstance(spec, str) or not spec:
        raise ValueError("a fault spec is a non-empty string: %r" % (spec,))
    prefix = None
    if "@" in spec:
        spec, prefix = spec.split("@", 1)
    left = 1
    if "x" in spec and spec.rsplit("x", 1)[1].isdigit():
        spec, n = spec.rsplit("x", 1)
        left = int(n)
    kind, _, arg = spec.partition(":")
    return {"kind": kind, "arg": arg or None, "left": left, "prefix": prefix}


class Faults:
    """The faults a fake's next requests use up, in order, under one lock.
    A fault with a path prefix waits for a request under that prefix."""

    def __init__(self, specs=(), pattern=None):
        self.lock = threading.Lock()
        self.pattern = re.compile(pattern) if pattern else None
        self.items = self.parse(specs)

    def parse(self, specs):
        """The specs as faults; ValueError for one that does not parse."""
        for s in specs:
            if self.pattern and not (isinstance(s, str) and self.pattern.fullmatch(s)):
                raise ValueError("bad fault spec %r" % (s,))
        return [parse_fault(s) for s in specs]

    def replace(self, specs):
        new = self.parse(specs)
        with self.lock:
            self.items = new
            return len(new)

    def extend(self, specs):
        new = self.parse(specs)
        with self.lock:
            self.items.extend(new)
            return len(new)

    def take(self, path=""):
        with self.lock:
            for k, f in enumerate(self.items):
                if f["prefix"] and not path.startswith(f["prefix"]):
                    continue
                f["left"] -= 1
                if f["left"] <= 0:
                    del self.items[k]
                return f
        return None


class Handler(BaseHTTPRequestHandler):
    """The base every HTTP fake's handler derives from.  A fake sets
    `label` (its name in log lines), `faults` (a Faults) and, in main,
    `verbose`; `nodelay` turns off Nagle (headers and body go out in two
    writes: with Nagle and the client's delayed ACK each keep-alive answer
    would wait 40 ms); `control_adds` makes /_control/faults add to the
    list instead of replacing it; `lower_headers` sends header names in
    lower case, as Cowboy and Bandit do; `json_separators` as json.dumps."""
    protocol_version = "HTTP/1.1"
    label = "fake"
    verbose = False
    nodelay = False
    faults = None
    control_adds = False
    lower_headers = False
    json_separators = None

    def setup(self):
        super().setup()
        if self.nodelay:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, fmt, *args):
        if self.verbose:
            self.log_line(fmt % args)

    def log_line(self, text):
        sys.stderr.write("%s: %s\n" % (self.label, text))

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def encode(self, body):
        if body is None:
            return b""
        if isinstance(body, bytes):
            return body
        if isinstance(body, str):
            return body.encode()
        return json.dumps(body, separators=self.json_separators).encode()

    def header(self, name, value):
        self.send_header(name.lower() if self.lower_headers else name, value)

    def reply_headers(self):
        """Headers every answer of this fake carries (a fake may add some)."""
        return ()

    def reply(self, status, body=None, headers=(), ctype=JSON):
        """One whole answer: body is bytes, str, or an object sent as JSON;
        headers a list of pairs or a dict.  A 204 without a body has no
        Content-Type; a 304 or an answer to HEAD has no body."""
        data = self.encode(body)
        self.send_response(status)
        if ctype and (data or status != 204):
            self.header("Content-Type", ctype)
        self.header("Content-Length", str(len(data)))
        pairs = headers.items() if isinstance(headers, dict) else headers
        for k, v in list(pairs) + list(self.reply_headers()):
            self.header(k, v)
        self.end_headers()
        if data and status != 304 and self.command != "HEAD":
            self.wfile.write(data)

    def take_fault(self, path=""):
        return self.faults.take(path) if self.faults else None

    def hang_up(self):
        """Close without an answer (the hang and drop faults)."""
        self.close_connection = True
        self.connection.close()

    def control(self, method, path, body):
        """POST /_control/faults ["SPEC",...]: True when this was it and it
        has been answered (400 for specs that do not parse)."""
        if method != "POST" or path != "/_control/faults" or self.faults is None:
            return False
        try:
            specs = json.loads(body or b"[]")
            if not isinstance(specs, list):
                raise ValueError("a JSON list of fault specs")
            n = (self.faults.extend if self.control_adds else self.faults.replace)(specs)
        except ValueError as e:
            self.reply(400, {"error": "bad faults: %s" % e})
            return True
        self.reply(200, {"faults": n})
        return True


def watch_parent(interval=0.5):
    """End this process when its parent does (it is then adopted by init or
    a subreaper): a test shell killed with SIGKILL runs no trap, and its
    fakes would otherwise serve on, orphaned, until the machine stops."""
    parent = os.getppid()

    def watch():
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(0)
    threading.Thread(target=watch, daemon=True, name="watch-parent").start()


def listen(handler, tls_cert=None, tls_key=None, handshake_in_thread=False):
    """The server, listening; HTTPS when a certificate is given.  With
    handshake_in_thread the TLS handshake happens in the handler's thread,
    so a client that fails it cannot stall accept()."""
    watch_parent()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    srv.daemon_threads = True
    if tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(tls_cert, tls_key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True,
                                     do_handshake_on_connect=not handshake_in_thread)
    return srv


def publish_port(srv_or_port, port_file):
    port = srv_or_port if isinstance(srv_or_port, int) else srv_or_port.server_address[1]
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, port_file)


def serve(handler, port_file, tls_cert=None, tls_key=None):
    """listen, publish the port, serve until killed."""
    srv = listen(handler, tls_cert, tls_key)
    publish_port(srv, port_file)
    srv.serve_forever()
