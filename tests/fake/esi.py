#!/usr/bin/python3
"""Fake EVE ESI for wn-enrich's tests (Python standard library only).

HTTP/1.1 with keep-alive on 127.0.0.1, an ephemeral port.  Routes, with
the shapes of ESI's 2025-12-16 compatibility date (see external-apis.md B):
  POST /universe/names                 1..1000 unique ids -> [{category,id,name}]
                                       any unknown id -> 404 "Ensure all IDs are
                                       valid before resolving"; >1000 or
                                       duplicates -> 400
  GET  /killmails/{id}/{hash}          hash must be sha1("<id>") in hex, else 422
  GET  /corporations/{id}              classic shape (new shape from 2026-07-21)
  GET  /alliances/{id}  /characters/{id}  /universe/types/{id}
  GET  /universe/systems/{id}  /universe/constellations/{id}  /status
A trailing slash is accepted, as on the real service.

Ids resolve by range (esi-docs id-ranges): 10M regions, 20M constellations,
30-33M systems, 98M corporations, 99M alliances, 90-98M and 100M-2.13G
characters, 1M NPC corporations, 500k factions, below 1M types.  Ids given
with --unknown (and everything >= 2130000000) do not exist; --name
ID=NAME gives an id a real name instead of the made-up one.  Ids
700000-700999 come back with a category ESI might add later ("mystery").

Every reply: X-ESI-Error-Limit-Remain/-Reset (fixed window; each 4xx/5xx
costs one; at 0 everything is 420 until the window ends), Date,
X-Esi-Request-Id.  GETs: Cache-Control, Expires (Date + --ttl), ETag
(quoted), Last-Modified; If-None-Match with the current ETag -> 304.
/killmails/ is in token bucket group "killmail" (--kill-tokens per
--kill-window seconds, floating window; 2xx 2, 3xx 1, 4xx 5, 429/5xx 0;
empty -> 429 with Retry-After).  X-Compatibility-Date: missing -> oldest
shapes (logged); in the future -> 400.

Faults (--fault SPEC, repeatable, or POST /_control/faults ["SPEC",...],
which replaces the list) are used up by the next requests, in order.
SPEC is KIND[:ARG][xN][@PATHPREFIX] (a fault with @PREFIX waits for a
request whose path starts with PREFIX):
  500 502 503 504   that status (503/502/504 with the proxy's HTML body)
  420               an error-limit answer   429hidden  429, no bucket headers
  slow:S            answer normally after S seconds
  hang:S            wait S seconds, then close without an answer
  drop              close at once without an answer
  badjson           200 with a body that is not JSON
  empty             200 with no body
  notype            the normal answer without a Content-Type
  truncate          a body shorter than its Content-Length, then close
--log FILE gets one JSON line per request:
  {"n","method","path","status","ids","inm","ua","compat","t"}
"""
import argparse
import email.utils
import hashlib
import json
import random
import sys
import threading
import time
import fakehttp
from fakehttp import Faults, serve

LOCK = threading.Lock()
ARGS = None
STATE = {"n": 0, "errors_left": 100, "window_end": 0.0,
         "spent": [], "unknown": set(), "names": {}}
ERR_420 = ("This software has exceeded the error limit for ESI. If you are a "
           "user, please contact the maintainer of this software. If you are a "
           "developer/maintainer, please make a greater effort in the future to "
           "receive valid responses.")
PROXY_HTML = ("<html><head><title>503 Service Temporarily Unavailable</title>"
              "</head><body><center><h1>503 Service Temporarily Unavailable"
              "</h1></center></body></html>")
SHIPS = [587, 670, 11987, 29990, 22456, 17738, 33470, 12005, 47466, 28710]


# ---- the universe ----

def category(i):
    if i in STATE["unknown"] or i <= 0 or i >= 2130000000:
        return None
    if 700000 <= i < 701000:
        return "mystery"
    if 500000 <= i < 600000:
        return "faction"
    if i < 1000000:
        return "inventory_type"
    if i < 2000000:
        return "corporation"
    if 10000000 <= i < 11000000:
        return "region"
    if 20000000 <= i < 21000000:
        return "constellation"
    if 30000000 <= i < 33000000:
        return "solar_system"
    if 98000000 <= i < 99000000:
        return "corporation"
    if 99000000 <= i < 100000000:
        return "alliance"
    if 90000000 <= i < 98000000 or 100000000 <= i < 2130000000:
        return "character"
    return None


def name_of(i, cat):
    if i in STATE["names"]:
        return STATE["names"][i]
    if cat == "solar_system":
        return "J%06d" % (i % 1000000) if 31000000 <= i < 32000000 else "Sys-%d" % i
    return {"inventory_type": "Type %d", "corporation": "Corp %d",
            "alliance": "Alliance %d", "character": "Pilot %d",
            "region": "Region %d", "constellation": "Constellation %d",
            "faction": "Faction %d", "mystery": "Mystery %d"}[cat] % i


def ticker(i, cat):
    return ("C%d" if cat == "corporation" else "A%d") % (i % 100000)


def corp_alliance(i):
    return 99000000 + i % 60 if i % 10 < 7 and i >= 98000000 else None


def corporation(i, compat):
    d = {"ceo_id": 90000001, "creator_id": 90000001, "member_count": 10 + i % 500,
         "name": name_of(i, "corporation"), "ticker": ticker(i, "corporation"),
         "date_founded": "2015-03-24T11:37:00Z", "x_field_from_the_future": {"a": 1}}
    if corp_alliance(i):
        d["alliance_id"] = corp_alliance(i)
    if compat >= "2026-07-21":
        d.update(tax_rates={"isk": 0.1, "loyalty_point": 0.1}, friendly_fire="legal",
                 state="active", type="player_owned", shares=1000,
                 home_station_id=60003760, war_eligible=True, description="")
    else:
        d["tax_rate"] = 0.1
    return d


def killmail(kid):
    rng = random.Random(kid)

    def party():
        corp = 98000000 + rng.randrange(400)
        p = {"character_id": 90000000 + rng.randrange(7000000), "corporation_id": corp}
        if corp_alliance(corp):
            p["alliance_id"] = corp_alliance(corp)
        return p
    v = party()
    v.update(damage_taken=rng.randrange(100, 90000), ship_type_id=rng.choice(SHIPS),
             position={"x": 1.5, "y": 2.5, "z": -3.5},
             items=[{"flag": 20, "item_type_id": 5973, "quantity_dropped": 1, "singleton": 0}])
    attackers = []
    n = rng.randrange(1, 6)
    for k in range(n):
        a = party()
        a.update(damage_done=rng.randrange(0, 9000), final_blow=k == 0,
                 security_status=-0.3, ship_type_id=rng.choice(SHIPS),
                 weapon_type_id=2000 + rng.randrange(3000))
        attackers.append(a)
    return {"killmail_id": kid,
            "killmail_time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1764000000 + kid % 1000000)),
            "solar_system_id": 31000000 + rng.randrange(2600),
            "victim": v, "attackers": attackers}


def kill_hash(kid):
    return hashlib.sha1(str(kid).encode()).hexdigest()


# ---- limits ----

def error_window(now):
    if now >= STATE["window_end"]:
        STATE["window_end"] = now + ARGS.error_window
        STATE["errors_left"] = ARGS.error_limit


def tokens_left(now):
    STATE["spent"] = [(t, c) for t, c in STATE["spent"] if t + ARGS.kill_window > now]
    return ARGS.kill_tokens - sum(c for _, c in STATE["spent"])


def retry_after(now, need):
    """Seconds until enough spent tokens have come back."""
    left, wait = tokens_left(now), ARGS.kill_window
    for t, c in STATE["spent"]:
        left += c
        if left >= need:
            wait = t + ARGS.kill_window - now
            break
    return max(1, int(wait + 0.999))


def window_text():
    w = ARGS.kill_window   # ESI says "15m" or "1h"; short test windows in seconds
    if w % 3600 == 0:
        return "%dh" % (w // 3600)
    return "%dm" % (w // 60) if w % 60 == 0 else "%ds" % w


class Handler(fakehttp.Handler):
    server_version = "fake-esi/1.0"
    label = "fake-esi"
    json_separators = (",", ":")

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def log_req(self, method, path, status, ids):
        STATE["n"] += 1
        rec = {"n": STATE["n"], "method": method, "path": path, "status": status,
               "ids": ids, "inm": self.headers.get("If-None-Match"),
               "ua": self.headers.get("User-Agent"),
               "compat": self.headers.get("X-Compatibility-Date"), "t": time.time()}
        if ARGS.log:
            with open(ARGS.log, "a") as f:
                f.write(json.dumps(rec) + "\n")

    no_ctype = False

    def reply(self, status, body=None, headers=(), ctype=fakehttp.JSON):
        if self.no_ctype:
            ctype, self.no_ctype = None, False
        super().reply(status, body, headers, ctype)

    def limit_headers(self, now):
        return [("X-ESI-Error-Limit-Remain", str(STATE["errors_left"])),
                ("X-ESI-Error-Limit-Reset", str(max(0, int(STATE["window_end"] - now + 0.999)))),
                ("X-Esi-Request-Id", "%08x-fake" % STATE["n"])]

    # -- one request --
    def handle_any(self, method):
        body = self.read_body()
        path = self.path.split("?", 1)[0]
        if self.control(method, path, body):
            return
        with LOCK:
            error_window(time.time())
        fault = self.take_fault(path)
        if fault:
            if self.apply_fault(fault, method, path):
                return
        with LOCK:
            now = time.time()
            error_window(now)
            status, payload, extra, ids, ctype = self.route(method, path, body, now)
            if status >= 400 and status not in (420, 429):
                STATE["errors_left"] = max(0, STATE["errors_left"] - 1)
            hdrs = self.limit_headers(now) + extra
            self.log_req(method, path, status, ids)
        self.reply(status, payload, hdrs, ctype)

    def apply_fault(self, f, method, path):
        kind, arg = f["kind"], f["arg"]
        if kind == "slow":
            time.sleep(float(arg or 1))
            return False
        if kind == "notype":
            self.no_ctype = True
            return False
        with LOCK:
            now = time.time()
            hdrs = self.limit_headers(now)
        if kind in ("hang", "drop"):
            if kind == "hang":
                time.sleep(float(arg or 5))
            with LOCK:
                self.log_req(method, path, 0, None)
            self.hang_up()
            return True
        status, body, ctype = 200, b"", "application/json; charset=utf-8"
        if kind in ("500", "502", "503", "504", "420"):
            status = int(kind)
            if kind == "500":
                body = {"error": "Internal server error"}
            elif kind == "420":
                body = {"error": ERR_420}
            else:
                body, ctype = PROXY_HTML.encode(), "text/html"
        elif kind == "429hidden":
            status = 429
            hdrs.append(("Retry-After", arg or "1"))
            body = {"error": "Too many requests"}
        elif kind == "badjson":
            body = b'{"name": "Corp 1", "ticker": '
        elif kind == "truncate":
            with LOCK:
                self.log_req(method, path, 200, None)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "200")
            self.end_headers()
            self.wfile.write(b'[{"category":"character","id":9')
            self.close_connection = True
            return True
        with LOCK:
            if status >= 500:
                STATE["errors_left"] = max(0, STATE["errors_left"] - 1)
            self.log_req(method, path, status, None)
        self.reply(status, body, hdrs, ctype)
        return True

    def route(self, method, path, body, now):
        """(status, payload, extra headers, ids, content type)"""
        ct = "application/json; charset=utf-8"
        if STATE["errors_left"] <= 0:
            return 420, {"error": ERR_420}, [], None, ct
        compat = self.headers.get("X-Compatibility-Date") or "2020-01-01"
        if compat > time.strftime("%Y-%m-%d", time.gmtime(now + 86400)):
            return 400, {"error": "Invalid compatibility date"}, [], None, ct
        parts = [p for p in path.split("/") if p]
        if method == "POST" and parts == ["universe", "names"]:
            return self.names(body) + (ct,)
        if method != "GET":
            return 405, {"error": "Method not allowed"}, [], None, ct
        if parts and parts[0] == "killmails":
            return self.killmail_route(parts, now) + (ct,)
        status, payload = self.lookup(parts, compat)
        if status != 200:
            return status, payload, [], None, ct
        return self.cached(payload, now, ARGS.ttl) + (None, ct)

    def cached(self, payload, now, ttl):
        data = json.dumps(payload, separators=(",", ":")).encode()
        etag = '"%s"' % hashlib.sha1(data).hexdigest()[:20]
        hdrs = [("Cache-Control", "public, max-age=%d" % ttl), ("ETag", etag),
                ("Expires", email.utils.formatdate(now + ttl, usegmt=True)),
                ("Last-Modified", email.utils.formatdate(now - 60, usegmt=True))]
        if self.headers.get("If-None-Match") == etag:
            return 304, None, hdrs
        return 200, payload, hdrs

    def lookup(self, parts, compat):
        if parts == ["status"]:
            return 200, {"players": 23000, "server_version": "2900000",
                         "start_time": "2026-11-28T11:05:00Z"}
        if len(parts) < 2 or not parts[-1].isdigit():
            return 404, {"error": "Not found"}
        i = int(parts[-1])
        cat = category(i)
        want = {"corporations": "corporation", "alliances": "alliance",
                "characters": "character"}.get(parts[0])
        if parts[0] == "universe" and len(parts) == 3:
            want = {"types": "inventory_type", "systems": "solar_system",
                    "constellations": "constellation"}.get(parts[1])
        if want is None:
            return 404, {"error": "Not found"}
        if cat != want:
            return 404, {"error": {"character": "Character not found",
                                   "inventory_type": "Type not found",
                                   "solar_system": "Solar system not found"}
                         .get(want, want.capitalize() + " not found")}
        if want == "corporation":
            return 200, corporation(i, compat)
        if want == "alliance":
            return 200, {"creator_corporation_id": 98000001, "creator_id": 90000001,
                         "date_founded": "2016-06-26T21:00:00Z",
                         "executor_corporation_id": 98000001,
                         "name": name_of(i, cat), "ticker": "<%s>" % ticker(i, cat)}
        if want == "character":
            return 200, {"birthday": "2015-03-24T11:37:00Z", "bloodline_id": 3,
                         "corporation_id": 98000000 + i % 400, "gender": "male",
                         "name": name_of(i, cat), "race_id": 2}
        if want == "inventory_type":
            return 200, {"type_id": i, "name": name_of(i, cat), "description": "",
                         "group_id": 25, "published": True}
        if want == "solar_system":
            return 200, {"system_id": i, "name": name_of(i, cat),
                         "constellation_id": 20000000 + i % 1000,
                         "position": {"x": 1.0, "y": 2.0, "z": 3.0},
                         "security_status": -0.99, "star_id": 40000000 + i % 1000}
        return 200, {"constellation_id": i, "name": name_of(i, cat),
                     "region_id": 10000000 + i % 100,
                     "position": {"x": 1.0, "y": 2.0, "z": 3.0}, "systems": []}

    def killmail_route(self, parts, now):
        cost = {2: 2, 3: 1, 4: 5, 5: 0}
        left = tokens_left(now)
        hdr = [("X-Ratelimit-Group", "killmail"),
               ("X-Ratelimit-Limit", "%d/%s" % (ARGS.kill_tokens, window_text()))]
        if left < 2:
            return 429, {"error": "Too many requests"}, hdr + [
                ("X-Ratelimit-Remaining", str(left)), ("X-Ratelimit-Used", "0"),
                ("Retry-After", str(retry_after(now, 2)))], None
        if len(parts) < 3 or not parts[1].isdigit() or parts[2] != kill_hash(int(parts[1])):
            status, payload, extra = 422, {"error": "Invalid killmail_id and/or killmail_hash"}, []
        else:
            status, payload, extra = self.cached(killmail(int(parts[1])), now, ARGS.kill_ttl)
        c = cost[status // 100]
        STATE["spent"].append((now, c))
        return status, payload, hdr + extra + [
            ("X-Ratelimit-Remaining", str(left - c)), ("X-Ratelimit-Used", str(c))], None

    def names(self, body):
        try:
            ids = json.loads(body)
        except ValueError:
            return 400, {"error": "Invalid JSON body"}, [], None
        if (not isinstance(ids, list) or not ids or len(ids) > 1000
                or any(not isinstance(i, int) or isinstance(i, bool) for i in ids)
                or len(set(ids)) != len(ids)):
            return 400, {"error": "ids must be 1 to 1000 unique integers"}, [], \
                len(ids) if isinstance(ids, list) else None
        out = []
        for i in ids:
            cat = category(i)
            if cat is None:
                return 404, {"error": "Ensure all IDs are valid before resolving."}, [], len(ids)
            out.append({"category": cat, "id": i, "name": name_of(i, cat)})
        return 200, out, [], len(ids)


def main():
    global ARGS
    ap = argparse.ArgumentParser(description="fake EVE ESI")
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", help="one JSON line per request")
    ap.add_argument("--unknown", action="append", default=[], help="ids that do not exist (comma list)")
    ap.add_argument("--fault", action="append", default=[])
    ap.add_argument("--name", action="append", default=[], help="ID=NAME instead of the made-up name")
    ap.add_argument("--ttl", type=int, default=3600, help="Expires for GETs, seconds")
    ap.add_argument("--kill-ttl", type=int, default=2592000)
    ap.add_argument("--error-limit", type=int, default=100)
    ap.add_argument("--error-window", type=float, default=60.0)
    ap.add_argument("--kill-tokens", type=int, default=3600)
    ap.add_argument("--kill-window", type=int, default=900)
    ap.add_argument("-v", "--verbose", action="store_true")
    ARGS = ap.parse_args()
    for u in ARGS.unknown:
        STATE["unknown"].update(int(x) for x in u.split(",") if x)
    for nm in ARGS.name:
        k, v = nm.split("=", 1)
        STATE["names"][int(k)] = v
    Handler.faults = Faults(ARGS.fault)
    Handler.verbose = ARGS.verbose
    STATE["errors_left"] = ARGS.error_limit
    serve(Handler, ARGS.port_file)


if __name__ == "__main__":
    main()
