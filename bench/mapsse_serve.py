#!/usr/bin/python3
"""bench/mapsse_serve.py FILE PORTFILE — serve an empty map over REST and
FILE (an SSE stream) to every stream request, in 64 KiB chunks, then hold
the connection open.  Only for bench/mapsse.sh: no checks, no replay."""
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DATA = open(sys.argv[1], "rb").read()


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_GET(self):
        if self.path.endswith("/systems") or self.path.endswith("/tracked-characters"):
            body = b'{"data":{"systems":[]}}' if self.path.endswith("/systems") else b'{"data":[]}'
            self.send_response(200)
            self.send_header("content-type", "application/json; charset=utf-8")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(200)
        self.send_header("content-type", "text/event-stream; charset=utf-8")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        try:
            for i in range(0, len(DATA), 65536):
                part = DATA[i:i + 65536]
                self.wfile.write(b"%x\r\n" % len(part) + part + b"\r\n")
            self.wfile.flush()
            time.sleep(600)
        except OSError:
            pass


srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
srv.daemon_threads = True
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
srv.serve_forever()
