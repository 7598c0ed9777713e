#!/usr/bin/python3
"""tests/fake/map.py — a fake Wanderer map server on loopback for wn-mapsse.

Speaks the real protocol (spec/wanderer-map.md §1, §4, §7): HTTP/1.1,
chunked text/event-stream with `event:`/`id:`/`data:` lines, `: keepalive`
comments, a replay store read with the `last_event_id` query parameter
(strictly greater ids, ascending, capped before the type filter), the
`events` filter, the plug error matrix with its exact bodies, and the REST
endpoints /systems, /tracked-characters and /api/common/system-static-info.

Live events come from an SSE file (--sse); each one is published once,
in order, to whichever connection is open, and stays in the replay store.

Connection behaviour: --conn "B1,B2,..." — the Nth stream request gets
BN (the last one repeats).  B is a '+'-joined list of:
  stream        connected, backfill, live events, then keepalives
  drop:K        after K live events, half of the next one, then a reset
  close         200 and event-stream headers, then close (connection limit)
  silent        connected, then nothing at all (a stall)
  idle          connected, then keepalives only
  lose          empty the replay store first (a server restart)
  dup           every live event twice
  swap          live events delivered in swapped pairs (out of order)
  hostile       an event named 2010 x A, "Bot ", 100 x B with bad data
  bad           an event whose data is not JSON, first
  unknown       an event of a type no one knows, first
  big:N         a map_kill event of N bytes, first
  status:CODE   answer CODE with the real body (401 403map 403 404 429 500 503)
--rest-fail "systems:2,tracked-characters:3" answers those requests (counted
per kind from 1) with a 500.  --tls-cert/--tls-key serve HTTPS.
--prepublish N puts the first N events in the replay store at start (with
--fresh-ids, ids of the moment instead of the file's).
--systems/--characters may be repeated: the Nth REST request of that kind
gets the Nth file (the last repeats), so a test can change the map between
a load and a resync.  Every request is logged as one JSON line to --log.
"""
import argparse
import json
import os
import random
import socket
import sys
import threading
import time
import urllib.parse
import fakehttp
from fakehttp import serve

MAP_UUID = "65436ae5-1838-4074-9b12-9020b0bf67e7"
SSE_TYPES = ["add_system", "deleted_system", "system_renamed", "system_metadata_changed",
             "connection_added", "connection_removed", "connection_updated",
             "character_added", "character_removed", "character_updated",
             "character_location_changed", "character_online_status_changed",
             "character_ship_changed", "character_ready_status_changed",
             "signature_added", "signature_removed", "signatures_updated", "map_kill",
             "acl_member_added", "acl_member_removed", "acl_member_updated",
             "rally_point_added", "rally_point_removed"]
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
JITA = {"solar_system_id": 30000142, "solar_system_name": "Jita", "solar_system_name_lc": "jita",
        "region_id": 10000002, "region_name": "The Forge", "constellation_id": 20000020,
        "constellation_name": "Kimotoro", "system_class": 7, "security": "0.9",
        "class_title": "0.9", "type_description": "High-sec", "is_shattered": False,
        "effect_name": None, "effect_power": 0, "statics": [], "wandering": [],
        "triglavian_invasion_status": "Normal", "sun_type_id": 45041}

ARGS = None
LOCK = threading.Lock()
STATE = {"conns": 0, "store": [], "next_live": 0, "live": [], "static_hits": 0}


def ulid_now():
    ms = int(time.time() * 1000)
    t = "".join(CROCKFORD[(ms >> (5 * i)) & 31] for i in reversed(range(10)))
    return t + "".join(random.choice(CROCKFORD) for _ in range(16))


def valid_ulid(s):
    return s is not None and len(s) == 26 and all(c in CROCKFORD for c in s)


def compact(obj):
    return json.dumps(obj, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def load_sse(path):
    """The events of an SSE file, as (type, id, data) — connected left out."""
    out, cur = [], {}
    with open(path, encoding="utf-8") as f:
        for line in f.read().split("\n"):
            if line == "":
                if "data" in cur and cur.get("event") != "connected":
                    out.append((cur.get("event"), cur.get("id"), cur["data"]))
                cur = {}
            elif not line.startswith(":") and ":" in line:
                k, v = line.split(":", 1)
                cur[k] = v[1:] if v.startswith(" ") else v
    return out


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def publish():
    """The next unpublished event, now put in the replay store (LOCK held).
    With --fresh-ids it gets an id of the moment, as a live server would."""
    i = STATE["next_live"]
    if i >= len(STATE["live"]):
        return None
    STATE["next_live"] = i + 1
    ev = STATE["live"][i]
    if ARGS.fresh_ids:
        env = json.loads(ev[2])
        env["id"] = ulid_now()
        ev = (ev[0], env["id"], compact(env))
        time.sleep(0.002)
    STATE["store"].append(ev)
    return ev


def log(entry):
    if ARGS.log:
        with LOCK, open(ARGS.log, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")


class Handler(fakehttp.Handler):
    server_version = "Bandit"
    sys_version = ""
    label = "fake-map"
    lower_headers = True

    def reply_headers(self):
        return [("x-request-id", "F" + ulid_now()[:12])]

    # --- plain responses ---
    def send_body(self, code, body, ctype=fakehttp.JSON):
        self.reply(code, body, (), ctype)

    def send_json(self, code, obj):
        self.send_body(code, compact(obj))

    def error_reply(self, code):
        if code == "401":
            self.send_json(401, {"error": "Unauthorized (invalid token for map)"})
        elif code == "403map":
            self.send_json(403, {"error": "Server-Sent Events are disabled for this map",
                                 "code": "SSE_DISABLED_FOR_MAP", "status": 403})
        elif code == "403":
            self.send_body(403, "Public API is disabled", None)
        elif code == "404":
            self.send_json(404, {"error": "Map not found for identifier: %s" % ARGS.map})
        elif code == "429":
            self.send_body(429, "Too Many Requests", "text/plain")
        elif code == "503":
            self.send_body(503, "Server-Sent Events are disabled on this server", None)
        else:
            self.send_json(int(code), {"error": "Unexpected error"})

    # --- checks in the plug order of spec §1.2 ---
    def auth_error(self, slug):
        auths = self.headers.get_all("Authorization") or []
        if not auths:
            self.send_json(401, {"error": "Missing or invalid 'Bearer' token"})
            return True
        if len(auths) > 1:
            self.send_json(500, {"error": "Unexpected error"})
            return True
        if not auths[0].startswith("Bearer "):
            self.send_json(401, {"error": "Invalid authorization format - Bearer token required"})
            return True
        if slug not in (ARGS.map, MAP_UUID):
            self.send_json(404, {"error": "Map not found for identifier: %s" % slug})
            return True
        if auths[0][7:] != ARGS.key:
            self.send_json(401, {"error": "Unauthorized (invalid token for map)"})
            return True
        return False

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        parts = url.path.strip("/").split("/")
        entry = {"t": round(time.time(), 3), "path": url.path, "query": url.query,
                 "auth": (self.headers.get("Authorization") == "Bearer " + ARGS.key),
                 "accept": self.headers.get("Accept"), "http": self.request_version}
        if parts[:3] == ["api", "common", "system-static-info"]:
            log(entry)
            return self.static_info(q)
        if len(parts) == 4 and parts[:2] == ["api", "maps"]:
            slug, what = parts[2], parts[3]
            if what in ("systems", "tracked-characters"):
                with LOCK:
                    STATE[what] = STATE.get(what, 0) + 1
                    n = STATE[what]
                entry["n"] = n
                log(entry)
                if ARGS.rest_status:
                    return self.error_reply(ARGS.rest_status)
                if "%s:%d" % (what, n) in ARGS.rest_fail:
                    return self.send_json(500, {"error": "Unexpected error"})
                if self.auth_error(slug):
                    return None
                return self.rest(what, n)
        if len(parts) == 5 and parts[:2] == ["api", "maps"] and parts[3:] == ["events", "stream"]:
            with LOCK:
                STATE["conns"] += 1
                n = STATE["conns"]
            behaviour = ARGS.conn[min(n, len(ARGS.conn)) - 1].split("+")
            entry.update({"conn": n, "behaviour": behaviour,
                          "last_event_id": (q.get("last_event_id") or [None])[0],
                          "events": (q.get("events") or [None])[0]})
            log(entry)
            return self.stream(parts[2], q, behaviour)
        log(entry)
        return self.send_json(404, {"error": "Not found"})

    def rest(self, what, n):
        # the Nth request of a kind gets the Nth file given (the last repeats)
        files = ARGS.systems if what == "systems" else ARGS.characters
        return self.send_json(200, read_json(files[min(n, len(files)) - 1]))

    def static_info(self, q):
        ident = (q.get("id") or [None])[0]
        with LOCK:
            STATE["static_hits"] += 1
        if ident is None:
            return self.send_json(400, {"error": "Missing required param: id"})
        if ident == "":
            return self.send_json(400, {"error": "Param id cannot be empty"})
        if not ident.isdigit():
            return self.send_json(400, {"error": "Invalid integer format: %s" % ident})
        if int(ident) == 30000142:
            return self.send_json(200, {"data": JITA})
        for path in ARGS.static:
            data = read_json(path)["data"]
            if data["solar_system_id"] == int(ident):
                return self.send_json(200, {"data": data})
        return self.send_json(404, {"error": "System not found"})

    # --- the stream ---
    def chunk(self, data):
        b = data.encode()
        if ARGS.split:    # arbitrary write boundaries: the client must buffer
            i = 0
            while i < len(b):
                k = random.randint(1, 7)
                self.wfile.write(b"%x\r\n" % len(b[i:i + k]) + b[i:i + k] + b"\r\n")
                self.wfile.flush()
                i += k
            return
        self.wfile.write(b"%x\r\n" % len(b) + b + b"\r\n")
        self.wfile.flush()

    def abort(self):
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
        except OSError:
            pass
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def wanted(self, q):
        raw = (q.get("events") or [""])[0]
        if raw.strip() in ("", "*"):
            return set(SSE_TYPES)
        return {t.strip() for t in raw.split(",") if t.strip() in SSE_TYPES}

    @staticmethod
    def frame(etype, eid, data):
        return "event: %s\nid: %s\ndata: %s\n\n" % (etype, eid, data)

    def stream(self, slug, q, behaviour):
        for b in behaviour:
            if b.startswith("status:"):
                return self.error_reply(b[7:])
        if self.auth_error(slug):
            return None
        if "lose" in behaviour:
            with LOCK:
                STATE["store"] = []
        self.send_response(200)
        for k, v in (("content-type", "text/event-stream; charset=utf-8"),
                     ("cache-control", "no-cache"), ("connection", "keep-alive"),
                     ("access-control-allow-origin", "*"),
                     ("access-control-allow-headers", "Cache-Control"),
                     ("transfer-encoding", "chunked"), ("x-request-id", "F" + ulid_now()[:12])):
            self.send_header(k, v)
        self.end_headers()
        self.wfile.flush()
        try:
            self.run_stream(q, behaviour)
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
        self.close_connection = True

    def run_stream(self, q, behaviour):
        if "close" in behaviour:
            time.sleep(0.05)
            return self.abort()
        self.chunk(self.frame("connected", ulid_now(), compact(
            {"map_id": MAP_UUID, "server_time": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z",
                                                              time.gmtime())})))
        if "silent" in behaviour:
            time.sleep(3600)
        wanted = self.wanted(q)
        self.backfill(q, wanted)
        self.injections(behaviour)
        if "idle" not in behaviour:
            self.live(behaviour, wanted)
        while True:
            time.sleep(ARGS.keepalive)
            self.chunk(": keepalive\n\n")

    def backfill(self, q, wanted):
        last = (q.get("last_event_id") or [None])[0]
        if not valid_ulid(last):
            return
        with LOCK:
            after = sorted((e for e in STATE["store"] if e[1] > last), key=lambda e: e[1])
        for etype, eid, data in after[:ARGS.replay_cap]:
            if etype in wanted:
                self.chunk(self.frame(etype, eid, data))

    def injections(self, behaviour):
        for b in behaviour:
            if b == "bad":
                self.chunk(self.frame("add_system", ulid_now(), "{\"id\":broken"))
            elif b == "hostile":   # issue 14 #1: "Bot " near the log line's end
                self.chunk(self.frame("A" * 2010 + "Bot " + "B" * 100, ulid_now(), "not json"))
            elif b == "unknown":
                eid = ulid_now()
                self.chunk(self.frame("wormhole_collapsed", eid, compact(
                    {"id": eid, "map_id": MAP_UUID, "payload": {"x": 1},
                     "timestamp": "2026-03-17T19:30:00.000000Z",
                     "type": "wormhole_collapsed"})))
            elif b.startswith("big:"):
                eid = ulid_now()
                pad = "x" * int(b[4:])
                self.chunk(self.frame("map_kill", eid, compact(
                    {"id": eid, "map_id": MAP_UUID, "type": "map_kill",
                     "timestamp": "2026-03-17T19:30:00.000000Z",
                     "payload": {"type": "kill_count", "count": 1, "pad": pad,
                                 "solar_system_id": 31001503}})))

    def take_live(self):
        with LOCK:
            return publish()

    def live(self, behaviour, wanted):
        drop = next((int(b[5:]) for b in behaviour if b.startswith("drop:")), None)
        sent, held = 0, None
        while True:
            time.sleep(ARGS.interval)
            ev = self.take_live()
            if ev is None:
                if held:
                    self.chunk(self.frame(*held))
                return
            if ev[0] not in wanted:
                continue
            if drop is not None and sent >= drop:
                text = self.frame(*ev)
                self.chunk(text[:len(text) // 2])
                return self.abort()
            if "swap" in behaviour and held is None:
                held = ev
                continue
            self.chunk(self.frame(*ev))
            if "dup" in behaviour:
                self.chunk(self.frame(*ev))
            if held:
                self.chunk(self.frame(*held))
                held = None
            sent += 1


def main():
    global ARGS
    fx = os.environ.get("WN_FIXTURES", "tests/fixtures") + "/map/"
    p = argparse.ArgumentParser()
    p.add_argument("--port-file", required=True)
    p.add_argument("--map", default="my-map")
    p.add_argument("--key", default="0b6f5a2e-4c1d-4f7a-9e3b-1a2b3c4d5e6f")
    p.add_argument("--systems", action="append")
    p.add_argument("--characters", action="append")
    p.add_argument("--static", action="append",
                   default=[fx + "static_info_j155416_derived_current.json",
                            fx + "static_info_j132946_docs.json"])
    p.add_argument("--sse", default=fx + "sse_derived_notifier_filter.txt")
    p.add_argument("--conn", default="stream")
    p.add_argument("--keepalive", type=float, default=30.0)
    p.add_argument("--interval", type=float, default=0.02)
    p.add_argument("--replay-cap", type=int, default=1000)
    p.add_argument("--rest-status", default=None)
    p.add_argument("--rest-fail", default="")
    p.add_argument("--split", action="store_true")
    p.add_argument("--fresh-ids", action="store_true")
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--prepublish", type=int, default=0)
    p.add_argument("--log")
    ARGS = p.parse_args()
    ARGS.conn = ARGS.conn.split(",")
    ARGS.rest_fail = set(ARGS.rest_fail.split(","))
    ARGS.systems = ARGS.systems or [fx + "systems_derived.json"]
    ARGS.characters = ARGS.characters or [fx + "characters_tracked_derived.json"]
    STATE["live"] = load_sse(ARGS.sse)
    for _ in range(ARGS.prepublish):   # events that happened before anyone connected
        publish()
    # HTTPS with a certificate: a failed handshake only loses that connection
    serve(Handler, ARGS.port_file, ARGS.tls_cert, ARGS.tls_key)


if __name__ == "__main__":
    sys.exit(main())
