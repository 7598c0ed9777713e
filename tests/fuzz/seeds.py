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
    sys.exit("seeds.py: no seeds for " + name)


def main():
    name, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for i, s in enumerate(seeds(name)):
        with open(os.path.join(out, "seed-%04d" % i), "wb") as f:
            f.write(s)


main()
