#!/usr/bin/python3
"""Fake WandererKills REST API for wn-enrich's tests (Python standard library only).

HTTP/1.1 with keep-alive on 127.0.0.1, an ephemeral port, answering as the
Phoenix server does (wanderer-kills-detail.md 3.1/3.2):
  GET /api/v1/kills/system/{system_id}?since_hours=H&limit=L
      200 {"data":{"kills":[...],"timestamp":T,"cached":false},"timestamp":T}
      the kills are the system's list from --data, as zKillboard gives them,
      capped at limit; a system the data does not name has none.
      any bad parameter (system id, since_hours not a positive integer,
      limit outside 1..1000) -> 400 "Invalid system ID format" INVALID_SYSTEM_ID
  GET /api/v1/killmail/{killmail_id}
      200 {"data":<killmail>,"timestamp":T}; unknown -> 404 "Killmail not
      found" NOT_FOUND; not a positive integer -> 400 INVALID_KILLMAIL_ID
  GET /api/v1/kills/count/{system_id}, /ping
  any other /api/v1 path -> 404 {"error":"Not Found","code":"NOT_FOUND",...}
  other paths -> 404 {"error":"Not Found","status":"404"}
Errors: {"error":M,"code":C,"details":null|{...},"timestamp":T}; timestamps
ISO 8601 with microseconds.

--data FILE: {"systems":{"<id>":[entries...]},"killmails":{"<id>":{...}}};
read on every request, so a test may rewrite it between runs.
Faults (--fault SPEC, repeatable, or POST /_control/faults ["SPEC",...])
are used up by the next matching requests, in order.  SPEC is
KIND[:ARG][xN][@PATHPREFIX]:
  fetch_error   500 "Failed to fetch system kills" FETCH_ERROR, details.reason
  500 502 503   that status (502/503 with a proxy's HTML body)
  404           the API's NOT_FOUND answer
  slow:S        answer normally after S seconds
  hang:S        wait S seconds, then close without an answer
  drop          close at once without an answer
  badjson       200 with a body that is not JSON
--log FILE gets one JSON line per request: {"n","method","path","query",
"status","ua","accept","t"} (t: time.time() when the request came in).
"""
import argparse
import datetime
import json
import sys
import threading
import time
import uuid
from urllib.parse import parse_qs, urlsplit
import fakehttp
from fakehttp import Faults, serve

LOCK = threading.Lock()
ARGS = None
STATE = {"n": 0}
PROXY_HTML = ("<html><head><title>%d</title></head><body><center><h1>%d</h1>"
              "</center><hr><center>nginx</center></body></html>")


def stamp():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def error(message, code, details=None):
    return {"error": message, "code": code, "details": details, "timestamp": stamp()}


def load_data():
    if not ARGS.data:
        return {}
    with open(ARGS.data) as f:
        return json.load(f)


def pos_int(s):
    """Elixir's Integer.parse-then-check: a whole positive integer or None."""
    if s is None or not s.isdigit():
        return None
    v = int(s)
    return v if v > 0 else None


class Handler(fakehttp.Handler):
    server_version = "Cowboy"
    label = "fake-wk"
    nodelay = True
    lower_headers = True

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def reply_headers(self):
        return [("cache-control", "max-age=0, private, must-revalidate"),
                ("x-request-id", uuid.uuid4().hex[:20])]

    def log_req(self, method, path, query, status, t):
        with LOCK:
            STATE["n"] += 1
            rec = {"n": STATE["n"], "method": method, "path": path, "query": query,
                   "status": status, "ua": self.headers.get("User-Agent"),
                   "accept": self.headers.get("Accept"), "t": t}
            if ARGS.log:
                with open(ARGS.log, "a") as f:
                    f.write(json.dumps(rec) + "\n")

    def handle_any(self, method):
        t = time.time()
        body = self.read_body()
        parts = urlsplit(self.path)
        path, query = parts.path, parts.query
        if self.control(method, path, body):
            return
        fault = self.take_fault(path)
        if fault and self.apply_fault(fault, method, path, query, t):
            return
        status, payload, ctype = self.route(method, path, query)
        self.log_req(method, path, query, status, t)
        self.reply(status, payload, (), ctype)

    def apply_fault(self, f, method, path, query, t):
        kind, arg = f["kind"], f["arg"]
        if kind == "slow":
            time.sleep(float(arg or 1))
            return False
        if kind in ("hang", "drop"):
            self.log_req(method, path, query, 0, t)   # now: the test may look while it hangs
            if kind == "hang":
                time.sleep(float(arg or 5))
            self.hang_up()
            return True
        ctype = "application/json; charset=utf-8"
        if kind == "fetch_error":
            status, body = 500, error("Failed to fetch system kills", "FETCH_ERROR",
                                      {"reason": "timeout"})
        elif kind == "404":
            status, body = 404, error("Not Found", "NOT_FOUND")
        elif kind == "500":
            status, body = 500, error("Internal server error", "INTERNAL_ERROR")
        elif kind in ("502", "503"):
            status, ctype = int(kind), "text/html"
            body = (PROXY_HTML % (status, status)).encode()
        elif kind == "badjson":
            status, body = 200, b'{"data":{"kills":[{"killmail_id":'
        else:
            raise SystemExit("unknown fault " + kind)
        self.log_req(method, path, query, status, t)
        self.reply(status, body, (), ctype)
        return True

    def route(self, method, path, query):
        ct = "application/json; charset=utf-8"
        seg = [p for p in path.split("/") if p]
        if method == "GET" and seg == ["ping"]:
            return 200, b"pong", "text/plain; charset=utf-8"
        if seg[:2] != ["api", "v1"]:
            return 404, {"error": "Not Found", "status": "404"}, ct
        rest = seg[2:]
        if method == "GET" and len(rest) == 3 and rest[:2] == ["kills", "system"]:
            return self.system_kills(rest[2], parse_qs(query)) + (ct,)
        if method == "GET" and len(rest) == 2 and rest[0] == "killmail":
            return self.killmail(rest[1]) + (ct,)
        if method == "GET" and len(rest) == 3 and rest[:2] == ["kills", "count"]:
            sid = pos_int(rest[2])
            if sid is None:
                return 400, error("Invalid system ID format", "INVALID_SYSTEM_ID"), ct
            kills = load_data().get("systems", {}).get(str(sid), [])
            return 200, {"data": {"system_id": sid, "count": len(kills),
                                  "timestamp": stamp()}, "timestamp": stamp()}, ct
        return 404, error("Not Found", "NOT_FOUND"), ct

    def system_kills(self, sid_s, q):
        sid = pos_int(sid_s)
        since = pos_int(q.get("since_hours", ["24"])[0])
        limit = pos_int(q.get("limit", ["50"])[0])
        if sid is None or since is None or limit is None or limit > 1000:
            return 400, error("Invalid system ID format", "INVALID_SYSTEM_ID")
        kills = load_data().get("systems", {}).get(str(sid), [])[:limit]
        return 200, {"data": {"kills": kills, "timestamp": stamp(), "cached": False},
                     "timestamp": stamp()}

    def killmail(self, kid_s):
        kid = pos_int(kid_s)
        if kid is None:
            return 400, error("Invalid killmail ID format", "INVALID_KILLMAIL_ID")
        km = load_data().get("killmails", {}).get(str(kid))
        if km is None:
            return 404, error("Killmail not found", "NOT_FOUND")
        return 200, {"data": km, "timestamp": stamp()}


def main():
    global ARGS
    ap = argparse.ArgumentParser(description="fake WandererKills REST API")
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--data", help="JSON: systems and killmails")
    ap.add_argument("--log", help="one JSON line per request")
    ap.add_argument("--fault", action="append", default=[])
    ap.add_argument("-v", "--verbose", action="store_true")
    ARGS = ap.parse_args()
    Handler.faults = Faults(ARGS.fault)
    Handler.verbose = ARGS.verbose
    serve(Handler, ARGS.port_file)


if __name__ == "__main__":
    main()
