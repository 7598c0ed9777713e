#!/usr/bin/env python3
"""seeds.py NAME OUTDIR — the seed corpus of harness NAME, built from the
project's fixtures (tests/fixtures, a copy of the shared payloads: read,
never edited) plus a few synthetic inputs where no fixture exists.  Inputs
of harnesses that take a selector byte get one per variant."""
import glob, json, os, struct, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FX = os.environ.get("WN_FIXTURES", os.path.join(ROOT, "tests", "fixtures"))


def read(p):
    with open(p, "rb") as f:
        return f.read()


def fx(*pats):
    out = []
    for pat in pats:
        out += sorted(glob.glob(os.path.join(FX, pat)))
    return out


def json_docs(*pats):
    """Whole files, and every line of NDJSON files and of JSON arrays."""
    docs = []
    for p in fx(*pats):
        b = read(p)
        if p.endswith(".ndjson"):
            docs += [l for l in b.split(b"\n") if l.strip()]
            continue
        docs.append(b)
        try:
            v = json.loads(b)
        except ValueError:
            continue
        for x in (v if isinstance(v, list) else v.get("data", []) if isinstance(v, dict) and isinstance(v.get("data"), list) else []):
            docs.append(json.dumps(x, separators=(",", ":")).encode())
    return docs


KILLS = ("kills/*.json", "kills/captured/*.json", "kills/captured/*.ndjson")
MAP_EVENTS = ("map/events_derived_all_types.json", "map/payload_*.json",
              "map/event_*.json")


def ws_frame(op, payload, fin=True):
    n = len(payload)
    h = bytes([(0x80 if fin else 0) | op])
    if n < 126:
        h += bytes([n])
    elif n < 65536:
        h += bytes([126]) + struct.pack(">H", n)
    else:
        h += bytes([127]) + struct.pack(">Q", n)
    return h + payload


def gateway_seeds():
    """Payloads in the shapes tests/fake/gateway.py sends (HELLO, READY,
    GUILD_CREATE, VOICE_STATE_UPDATE, INTERACTION_CREATE, op 7/9/11)."""
    j = lambda o: json.dumps(o, separators=(",", ":")).encode()
    d = lambda s, t, o: j({"op": 0, "t": t, "s": s, "d": o})
    guild = {"id": "10", "afk_channel_id": "3", "channels": [
        {"id": "2", "type": 2, "name": "Ops"}, {"id": "4", "type": 13, "name": "Stage"},
        {"id": "3", "type": 2, "name": "AFK"}, {"id": "5", "type": 0, "name": "text"}],
        "voice_states": [{"user_id": "100", "channel_id": "2"}, {"user_id": "101", "channel_id": "3"},
                         {"user_id": "102", "channel_id": "4"}]}
    ready = {"v": 10, "user": {"id": "1000", "username": "wn", "bot": True},
             "guilds": [{"id": "10", "unavailable": True}], "session_id": "abc123",
             "resume_gateway_url": "ws://127.0.0.1:4001", "shard": [0, 1]}
    vsu = lambda u, c: {"guild_id": "10", "user_id": u, "channel_id": c, "session_id": "x",
                        "deaf": False, "mute": False, "self_deaf": False, "self_mute": False}
    def inter(ty, sub, opts):
        return {"id": "1200000000000000001", "application_id": "1000", "type": ty,
                "token": "tok-1200000000000000001", "version": 1, "guild_id": "10",
                "channel_id": "100", "member": {"user": {"id": "4000000000000000001"},
                                                "permissions": "32"},
                "data": {"id": "1100000000000000000", "name": "notifier", "type": 1,
                         "options": [{"name": sub, "type": 1, "options": opts}]}}
    lines = [j({"op": 10, "d": {"heartbeat_interval": 41250}}), d(1, "READY", ready),
             d(2, "GUILD_CREATE", guild), d(3, "VOICE_STATE_UPDATE", vsu("103", "2")),
             d(4, "VOICE_STATE_UPDATE", vsu("100", None)),
             d(5, "CHANNEL_CREATE", {"id": "6", "type": 2, "guild_id": "10"}),
             d(6, "CHANNEL_DELETE", {"id": "4", "type": 13, "guild_id": "10"}),
             d(7, "GUILD_UPDATE", {"id": "10", "afk_channel_id": "2"}),
             d(8, "INTERACTION_CREATE", inter(2, "system", [{"name": "system_name", "type": 3,
                                                             "value": "J155416"},
                                                            {"name": "action", "type": 3,
                                                             "value": "add_priority"}])),
             d(9, "INTERACTION_CREATE", inter(4, "system", [{"name": "system_name", "type": 3,
                                                             "value": "J15", "focused": True}])),
             d(10, "INTERACTION_CREATE", inter(2, "status", [])),
             j({"op": 11}), j({"op": 1, "d": None}), j({"op": 7, "d": None}),
             j({"op": 9, "d": False}), d(11, "RESUMED", None)]
    return [b"\n".join(lines)] + lines + [b"\n".join(lines[:3]) + b"\n" + l for l in lines[3:]]


def status_lines():
    return [b'{"tool":"wn-kills","pid":7,"updated":"2026-03-17T19:16:30Z","state":"joined"}',
            b'{"tool":"wn-mapsse","pid":8,"updated":"2026-03-17T19:16:30Z","state":"streaming"}',
            b'{"tool":"wn-filter","pid":9,"updated":"2026-03-17T19:00:00Z","state":"running","passed":3}',
            b'{"tool":"wn-enrich","pid":10,"updated":"2026-03-17T19:00:00Z","state":"running"}',
            b'{"tool":"wn-discord","pid":11,"updated":"2026-03-17T19:00:00Z","posted":12,"state":"running",'
            b'"last_error":"Authorization: Bot MTIz.abc.def"}',
            b'{"tool":"wn-pipeline","pid":12,"updated":"2026-03-17T19:00:00Z","state":"running"}']


def seeds(name):
    sel = lambda b, k: [bytes([i]) + d for i in range(k) for d in b]
    if name in ("jsonscan", "killmail", "filter"):
        return json_docs(*KILLS) + json_docs(*MAP_EVENTS)
    if name == "format":
        golden = []
        for g in sorted(glob.glob(os.path.join(ROOT, "tests", "golden", "format", "*.json"))):
            golden.append(json.dumps(json.loads(read(g))["record"]).encode())
        return sel(golden, 2) + [bytes([i]) + d for i in (0, 9, 18, 27, 36, 65)
                                 for d in json_docs(*KILLS) + json_docs(*MAP_EVENTS)]
    if name == "ndjson":
        return sel([read(p) for p in fx("kills/captured/*.ndjson")] +
                   [read(os.path.join(ROOT, "examples", "killmails.ndjson"))], 3)
    if name == "sse":
        return sel([read(p) for p in fx("map/*.txt")], 3)
    if name == "phx":
        return [read(p) for p in fx("kills/captured/synth_frames_v2_*.ndjson")] + \
               json_docs("kills/ws_frame_v2.json")
    if name == "ws":
        frames = json_docs("kills/captured/synth_frames_v2_server_to_client.ndjson")
        one = b"".join(ws_frame(1, f) for f in frames[:4])
        split = ws_frame(1, frames[0][:5], False) + ws_frame(9, b"hb") + ws_frame(0, frames[0][5:])
        return sel([one, split, ws_frame(8, b"\x03\xf4bye")], 2)
    if name == "r2z2":
        body = read(fx("kills/r2z2_file.json")[0])
        return [b"\x00\x01" + body, b"\x00\x00{\"sequence\":500}", b"\x03\x01", b"\x04\x02"]
    if name == "mapapi":
        return [b"\x00" + read(p) for p in fx("map/systems*.json")] + \
               [b"\x01" + read(p) for p in fx("map/characters*.json")]
    if name == "esi":
        h = [b"HTTP/1.1 200 OK\r\nCache-Control: public, max-age=300\r\n"
             b"Date: Tue, 17 Mar 2026 19:20:00 GMT\r\nExpires: Tue, 17 Mar 2026 19:25:00 GMT\r\n"
             b"X-ESI-Error-Limit-Remain: 99\r\nX-ESI-Error-Limit-Reset: 41\r\n\r\n",
             b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\nX-Ratelimit-Group: killmail\r\n"
             b"X-Ratelimit-Limit: 3600/15m\r\nX-Ratelimit-Remaining: 0\r\n\r\n"]
        return sel(h, 4)
    if name == "discord":
        return sel([b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nX-RateLimit-Scope: user\r\n"
                    b"X-RateLimit-Bucket: abcd\r\n\n\n"
                    b'{"message":"You are being rate limited.","retry_after":0.5,"global":false}',
                    b"HTTP/1.1 400 Bad Request\r\n\n\n"
                    b'{"code":50035,"errors":{"embeds":{"0":{"title":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH","message":"Must be 256 or fewer in length."}]}}}},"message":"Invalid Form Body"}',
                    b"HTTP/1.1 200 OK\r\nX-RateLimit-Remaining: 4\r\nX-RateLimit-Reset-After: 1.5\r\n\n\n"
                    b'{"id":"334385199974967042","type":0}'], 12)
    if name == "janice":
        return [b'{"items":[{"amount":100,"itemType":{"eid":34,"name":"Tritanium"},'
                b'"immediatePrices":{"buyPrice":4.5,"sellPrice":5.1}}]}', b"7", b"bad"]
    if name == "recentkills":
        docs = [read(p) for p in fx("kills/captured/http_kills_*.json",
                                     "kills/captured/notifier_mock_*.json",
                                     "kills/captured/http_error_response_docs.json")]
        return sel(docs, 2)
    if name == "config":
        return [read(os.path.join(ROOT, "examples", "example.env")),
                b"export A=1\nB='two words' # c\nC=\"q\\\"x\"\n#x\n\nWN_SYSTEMS=1,2 3\n"]
    if name == "status":
        return [b'{"tool":"wn-discord","pid":7,"updated":"2026-03-17T19:20:00Z","posted":12,'
                b'"state":"running","last_post":"2026-03-17T19:19:00Z","ok":true}']
    if name == "state":
        return [b"\x00" + b"1773775000 0123456789abcdef\n",
                b"\x01" + b'1773775000 {"type":"system"}\n',
                b"\x03" + b"01KKYKVB5XTQVYVKERM8X37FGK\n",
                b"\x04" + read(os.path.join(ROOT, "examples", "map.json")),
                b"\x05" + b"123\n", b"\x06" + b"00000000000000000001\n{}",
                b"\x07" + b"31001503,30000142"]
    if name == "log":
        return [b"\xff" + b"Authorization: Bot MTIz.abc rejected",
                b"\x40" + b"https://discord.com/api/webhooks/123/tok?wait=true",
                b"\x20" + b"key s3cr3t-map-key token=abc&x=1 X-ApiKey: k Bearer z"]
    if name == "httpcb":
        hs = [h[1:].replace(b"\r\n", b"\n") for h in seeds("esi")[:2]] + \
             [b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 503 Service Unavailable\r\nRetry-After: 120\r\n"
              b"Content-Type: text/event-stream\r\n\r\n",
              b"HTTP/1.1 302 Found\r\nLocation: /x\r\n\r\nHTTP/1.1 200 OK\r\nRetry-After:  0007\r\n"]
        return [bytes([sel]) + h for sel in (0, 0x11, 0x3f, 0xf1) for h in hs]
    if name == "enrichreply":
        rk = seeds("recentkills")
        lists = [d[1:] for d in rk if d[0] == 0]
        bodies = [read(p) for p in fx("kills/esi_killmail.json", "kills/esi_with_zkb.json", "kills/*.json")]
        return [bytes([st | w << 3]) + d for st in (0, 3, 4) for w in (0, 1) for d in lists] + \
               [bytes([0x80 | i]) + b for i in (0, 5, 13) for b in bodies]
    if name == "esireply":
        hdr = [h[1:].replace(b"\r\n\r\n", b"\r\n") for h in seeds("esi")[:2]]
        bodies = [read(p) for p in fx("kills/esi_killmail.json", "kills/esi_with_zkb.json")] + [b"", b"{", b"[1,2]"]
        return [bytes([st, t]) + h + b"\n\n" + b for st in (0, 3, 4, 6, 8, 10) for t in (0, 2)
                for h in hdr for b in bodies[:3]] + [bytes([0, 4]) + hdr[0] + b"\n\n" + b for b in bodies]
    if name == "kfeed":
        frames = seeds("phx")
        return frames + [b"\n".join(frames[:8]), b"\xff" + frames[0]]
    if name == "gateway":
        return gateway_seeds()
    if name == "httpd":
        st = [b"\x01" + l for l in status_lines()]
        reqs = [b"GET\n/health\n\n\n127.0.0.1:4000", b"HEAD\n/ready\n\ns3cr3t-token-12345\n[::1]:8080",
                b"GET\n/api/status\nBearer s3cr3t-token-12345\ns3cr3t-token-12345\n0.0.0.0",
                b"GET\n/metrics\nbearer  wrong\ns3cr3t-token-12345\n4000",
                b"POST\n/\n\n\n:99999", b"GET\n/nope\n\n\nlocalhost:1"]
        return [r + b"\n" + b"\n".join(st) for r in reqs] + reqs
    sys.exit("seeds.py: no seeds for " + name)


def main():
    name, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for i, s in enumerate(seeds(name)):
        with open(os.path.join(out, "seed-%04d" % i), "wb") as f:
            f.write(s)


main()
