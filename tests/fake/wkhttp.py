"""wkhttp.py — the REST side of the fake WandererKills (wskills.py), on
its own loopback port, over the same store of kills as the WebSocket.

Answers as the Phoenix server's KillsController does
(wanderer-kills-detail.md 3.1/3.2, wanderer-industries/wanderer-kills
lib/wanderer_kills_web/controllers/kills_controller.ex):
  POST /api/v1/kills/systems {"system_ids":[..],"since_hours":H,"limit":L}
       200 {"data":{"systems_kills":{"<id>":[row..]},"timestamp":T},"timestamp":T}
       system_ids not a non-empty list of positive integers -> 400
       "Invalid system IDs" INVALID_SYSTEM_IDS; since_hours not a positive
       integer or limit outside 1..1000 -> 400 "Invalid parameters"
       INVALID_PARAMETERS; a body that is not JSON -> 400 (Plug's parser)
  GET  /api/v1/kills/system/{id}?since_hours=H&limit=L
       200 {"data":{"kills":[row..],"timestamp":T,"cached":false},"timestamp":T}
  GET  /api/v1/killmail/{id}  200 {"data":<killmail>} / 404 NOT_FOUND
  GET  /ping -> pong; other /api/v1 paths -> 404 NOT_FOUND
The rows are what the server gets from zKillboard's /api/systemID/: only
{"killmail_id","zkb"} (no victim, no attackers, no time), newest first,
at most 200 (zKillboard's page) whatever the limit.  Like zKillboard, a
kill is listed only list_delay seconds after it was published (300 on the
real service), and only if its kill_time is inside since_hours.

Faults (fault(SPEC)): KIND[:ARG][xN], used up by the next requests:
  500 502 503   that status (502/503 with a proxy's HTML body)
  429           429 with Retry-After: ARG (default 1)
  hang:S        wait S seconds, then close without an answer
  drop          close at once
  upstream      200 with every list empty: what the real server answers
                when its zKillboard requests fail (it hides the failure)
Every request is logged as one JSON line: {"method","path","body","status","t"}.
"""
import datetime
import json
import os
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from fakehttp import parse_fault

ZKB_PAGE = 200
PROXY_HTML = ("<html><head><title>%d</title></head><body><center><h1>%d</h1>"
              "</center><hr><center>nginx</center></body></html>")


def stamp():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def error(message, code, details=None):
    return {"error": message, "code": code, "details": details, "timestamp": stamp()}


def pos_int(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v if v > 0 else None
    if isinstance(v, str) and v.isdigit() and int(v) > 0:
        return int(v)
    return None


class Rest:
    def __init__(self, snapshot, log_path, list_delay):
        self.snapshot = snapshot          # () -> list of stored kills
        self.log_path = log_path
        self.list_delay = list_delay
        self.faults = []
        self.lock = threading.Lock()

    def fault(self, spec):
        with self.lock:
            self.faults.append(parse_fault(spec))

    def take_fault(self):
        with self.lock:
            if not self.faults:
                return None
            f = self.faults[0]
            f["left"] -= 1
            if f["left"] <= 0:
                self.faults.pop(0)
            return f

    def log(self, **kw):
        kw["t"] = round(time.time(), 3)
        with self.lock, open(self.log_path, "a") as f:
            f.write(json.dumps(kw, separators=(",", ":")) + "\n")

    def rows(self, sid, since_hours, limit):
        now = time.time()
        kills = [k for k in self.snapshot() if k["system_id"] == sid
                 and k["_at"] <= now - self.list_delay
                 and k["_ts"] >= now - since_hours * 3600]
        kills.sort(key=lambda k: k["kill_time"], reverse=True)
        return [{"killmail_id": k["killmail_id"], "zkb": k["zkb"]}
                for k in kills[:min(limit, ZKB_PAGE)]]

    def bulk(self, body, empty):
        try:
            req = json.loads(body)
        except ValueError:
            return 400, {"errors": {"detail": "Bad Request"}}
        if not isinstance(req, dict):
            req = {}
        ids = req.get("system_ids")
        if not isinstance(ids, list) or not ids or any(pos_int(i) is None or isinstance(i, str) for i in ids):
            return 400, error("Invalid system IDs", "INVALID_SYSTEM_IDS")
        since = pos_int(req.get("since_hours", 24))
        limit = pos_int(req.get("limit", 50))
        if since is None or limit is None or limit > 1000:
            return 400, error("Invalid parameters", "INVALID_PARAMETERS")
        out = {str(s): ([] if empty else self.rows(s, since, limit)) for s in ids}
        return 200, {"data": {"systems_kills": out, "timestamp": stamp()}, "timestamp": stamp()}

    def route(self, method, path, query, body, empty):
        seg = [p for p in path.split("/") if p]
        if method == "GET" and seg == ["ping"]:
            return 200, b"pong"
        if seg[:2] != ["api", "v1"]:
            return 404, {"error": "Not Found", "status": "404"}
        rest = seg[2:]
        if method == "POST" and rest == ["kills", "systems"]:
            return self.bulk(body, empty)
        if method == "GET" and len(rest) == 3 and rest[:2] == ["kills", "system"]:
            q = parse_qs(query)
            sid = pos_int(rest[2])
            since = pos_int(q.get("since_hours", ["24"])[0])
            limit = pos_int(q.get("limit", ["50"])[0])
            if sid is None or since is None or limit is None or limit > 1000:
                return 400, error("Invalid system ID format", "INVALID_SYSTEM_ID")
            return 200, {"data": {"kills": [] if empty else self.rows(sid, since, limit),
                                  "timestamp": stamp(), "cached": False}, "timestamp": stamp()}
        if method == "GET" and len(rest) == 2 and rest[0] == "killmail":
            kid = pos_int(rest[1])
            if kid is None:
                return 400, error("Invalid killmail ID format", "INVALID_KILLMAIL_ID")
            for k in self.snapshot():
                if k["killmail_id"] == kid:
                    return 200, {"data": {a: b for a, b in k.items() if not a.startswith("_")},
                                 "timestamp": stamp()}
            return 404, error("Killmail not found", "NOT_FOUND")
        return 404, error("Not Found", "NOT_FOUND")

    def handler(self):
        rest = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "Cowboy"

            def log_message(self, fmt, *args):
                pass

            def setup(self):
                BaseHTTPRequestHandler.setup(self)
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def do_GET(self):
                self.any("GET")

            def do_POST(self):
                self.any("POST")

            def send(self, status, payload, ctype="application/json; charset=utf-8", extra=()):
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", ctype)
                self.send_header("content-length", str(len(data)))
                self.send_header("cache-control", "max-age=0, private, must-revalidate")
                for k, v in extra:
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def any(self, method):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n > 0 else b""
                parts = urlsplit(self.path)
                f = rest.take_fault()
                kind = f["kind"] if f else None
                text = body.decode("utf-8", "replace")[:4000]
                if kind in ("hang", "drop"):
                    rest.log(method=method, path=parts.path, body=text, status=0)
                    if kind == "hang":
                        time.sleep(float(f["arg"] or 5))
                    self.close_connection = True
                    self.connection.close()
                    return
                if kind in ("500", "502", "503"):
                    rest.log(method=method, path=parts.path, body=text, status=int(kind))
                    if kind == "500":
                        self.send(500, error("Internal server error", "INTERNAL_ERROR"))
                    else:
                        self.send(int(kind), (PROXY_HTML % (int(kind), int(kind))).encode(), "text/html")
                    return
                if kind == "429":
                    rest.log(method=method, path=parts.path, body=text, status=429)
                    self.send(429, error("Too many requests", "RATE_LIMITED"),
                              extra=[("retry-after", f["arg"] or "1")])
                    return
                status, payload = rest.route(method, parts.path, parts.query, body, kind == "upstream")
                rest.log(method=method, path=parts.path, body=text, status=status)
                ctype = "text/plain; charset=utf-8" if isinstance(payload, bytes) else \
                    "application/json; charset=utf-8"
                self.send(status, payload, ctype)
        return H


def start(snapshot, port_file, log_path, list_delay):
    """Serve in a daemon thread; the port goes to port_file.  Returns the Rest."""
    rest = Rest(snapshot, log_path, list_delay)
    srv = ThreadingHTTPServer(("127.0.0.1", 0), rest.handler())
    srv.daemon_threads = True
    with open(port_file + ".tmp", "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.replace(port_file + ".tmp", port_file)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return rest
