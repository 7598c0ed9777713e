#!/usr/bin/python3
"""Fake Janice (janice.e-351.com) appraisal API for wn-enrich's tests
(Python standard library only).

HTTP/1.1 with keep-alive on 127.0.0.1, an ephemeral port.  One route, as
Wanderer Notifier uses it:
  POST /api/rest/v2/appraisal?market=2&designation=appraisal&pricing=buy
       &pricingVariant=immediate&persist=true&compactize=true&pricePercentage=1
  headers X-ApiKey (must equal --key, else 401) and Content-Type text/plain
  (else 415); body one item per line, "Name qty" (the last word is the
  quantity).  Missing or wrong query parameters -> 400.
The answer has the shape of Janice's v2 appraisal: code, market, totals,
"failures" (the input lines it could not read or does not know, newline
separated, "" when none) and items[] with amount, itemType {eid, name,
volume, packagedVolume}, effectivePrices / immediatePrices /
top5AveragePrices {buyPrice, splitPrice, sellPrice, *Total...} (per unit
and totals).  compactize=true merges lines naming the same item.

Known items: "Type N" is type N (the fake ESI's names) priced by --price
N=ISK (default --default-price, 1000); --item "Name=EID:ISK" adds others.
A name Janice does not know goes into failures.

Faults (--fault SPEC, repeatable, or POST /_control/faults ["SPEC",...],
which replaces the list) are used up by the next requests, in order.
SPEC is KIND[:ARG][xN]:
  429[:S]     429 with Retry-After S (default 1)
  500 502 503 an error status;   401   as for a wrong key
  slow:S      answer normally after S seconds
  hang:S      wait S seconds, then close without an answer
  badjson     200 with a body that is not JSON
--log FILE gets one JSON line per request:
  {"n","path","query","key_ok","ctype","lines","status","t"}
(the key itself is never logged).
"""
import argparse
import json
import random
import re
import string
import sys
import threading
import time
from urllib.parse import parse_qs, urlsplit
import fakehttp
from fakehttp import Faults, serve

LOCK = threading.Lock()
ARGS = None
STATE = {"n": 0, "prices": {}, "items": {}}
WANT_QUERY = {"market": "2", "designation": "appraisal", "pricing": "buy",
              "pricingVariant": "immediate", "persist": "true",
              "compactize": "true", "pricePercentage": "1"}


def lookup(name):
    """(eid, canonical name, unit price) or None."""
    key = name.lower()
    if key in STATE["items"]:
        return STATE["items"][key]
    m = re.fullmatch(r"type (\d+)", key)
    if m:
        eid = int(m.group(1))
        return eid, "Type %d" % eid, STATE["prices"].get(eid, ARGS.default_price)
    return None


def prices(unit, amount):
    buy, sell = unit, unit * 1.1
    split = (buy + sell) / 2
    return {"buyPrice": buy, "splitPrice": split, "sellPrice": sell,
            "buyPriceTotal": buy * amount, "splitPriceTotal": split * amount,
            "sellPriceTotal": sell * amount, "buyPrice5DayMedian": buy,
            "splitPrice5DayMedian": split, "sellPrice5DayMedian": sell,
            "buyPrice30DayMedian": buy, "splitPrice30DayMedian": split,
            "sellPrice30DayMedian": sell}


def appraise(text):
    merged, failures = {}, []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        name, _, qty = line.rpartition(" ")
        if not name or not qty.isdigit():
            failures.append(line)
            continue
        known = lookup(name)
        if known is None:
            failures.append(line)
            continue
        eid = known[0]
        if eid in merged:
            merged[eid][1] += int(qty)
        else:
            merged[eid] = [known, int(qty)]
    items, total = [], 0.0
    for k, ((eid, name, unit), amount) in enumerate(merged.values()):
        p = prices(unit, amount)
        total += p["buyPriceTotal"]
        items.append({"id": 1000 + k, "amount": amount, "buyOrderCount": 12,
                      "buyVolume": 5000, "sellOrderCount": 30, "sellVolume": 9000,
                      "effectivePrices": p, "immediatePrices": p,
                      "top5AveragePrices": p, "totalVolume": 5.0 * amount,
                      "totalPackagedVolume": 5.0 * amount,
                      "itemType": {"eid": eid, "name": name, "volume": 5.0,
                                   "packagedVolume": 5.0}})
    code = "".join(random.choice(string.ascii_letters) for _ in range(7))
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    sums = {"totalBuyPrice": total, "totalSplitPrice": total * 1.05,
            "totalSellPrice": total * 1.1}
    return {"id": random.randrange(10 ** 8), "created": now, "expires": now,
            "datasetTime": now, "code": code, "designation": 100, "pricing": 200,
            "pricingVariant": 100, "pricePercentage": 1, "isCompactized": True,
            "input": text, "failures": "\n".join(failures),
            "market": {"id": 2, "name": "Jita 4-4"},
            "totalVolume": 0.0, "totalPackagedVolume": 0.0,
            "effectivePrices": sums, "immediatePrices": sums,
            "top5AveragePrices": sums, "items": items}


class Handler(fakehttp.Handler):
    server_version = "fake-janice/1.0"
    label = "fake-janice"

    def log_req(self, path, query, body, status):
        STATE["n"] += 1
        rec = {"n": STATE["n"], "path": path, "query": query,
               "key_ok": self.headers.get("X-ApiKey") == ARGS.key,
               "ctype": self.headers.get("Content-Type"),
               "lines": [l for l in body.decode("utf-8", "replace").split("\n") if l],
               "status": status, "t": time.time()}
        if ARGS.log:
            with open(ARGS.log, "a") as f:
                f.write(json.dumps(rec) + "\n")

    def do_GET(self):
        self.read_body()
        self.reply(405, {"message": "Method not allowed"})

    def do_POST(self):
        body = self.read_body()
        url = urlsplit(self.path)
        if self.control("POST", url.path, body):
            return
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        fault = self.take_fault()
        if fault and self.apply_fault(fault, url.path, query, body):
            return
        status, payload, hdrs = self.route(url.path, query, body)
        with LOCK:
            self.log_req(url.path, query, body, status)
        self.reply(status, payload, hdrs)

    def route(self, path, query, body):
        if path != "/api/rest/v2/appraisal":
            return 404, {"message": "Not found"}, []
        if self.headers.get("X-ApiKey") != ARGS.key:
            return 401, {"message": "Unauthorized: invalid or missing X-ApiKey"}, []
        if (self.headers.get("Content-Type") or "").split(";")[0].strip() != "text/plain":
            return 415, {"message": "Content-Type must be text/plain"}, []
        bad = [k for k, v in WANT_QUERY.items() if query.get(k) != v]
        if bad:
            return 400, {"message": "bad query parameters: " + ",".join(bad)}, []
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return 400, {"message": "body is not UTF-8"}, []
        return 200, appraise(text), []

    def apply_fault(self, f, path, query, body):
        kind, arg = f["kind"], f["arg"]
        if kind == "slow":
            time.sleep(float(arg or 1))
            return False
        if kind == "hang":
            time.sleep(float(arg or 5))
            with LOCK:
                self.log_req(path, query, body, 0)
            self.close_connection = True
            return True
        hdrs, status = [], 200
        if kind == "429":
            status, payload = 429, {"message": "Too Many Requests"}
            hdrs.append(("Retry-After", arg or "1"))
        elif kind == "401":
            status, payload = 401, {"message": "Unauthorized: invalid or missing X-ApiKey"}
        elif kind == "badjson":
            payload = b'{"items": [{"itemType": '
        else:
            status, payload = int(kind), {"message": "Internal Server Error"}
        with LOCK:
            self.log_req(path, query, body, status)
        self.reply(status, payload, hdrs)
        return True


def main():
    global ARGS
    ap = argparse.ArgumentParser(description="fake Janice appraisal API")
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--key", required=True, help="the X-ApiKey it accepts")
    ap.add_argument("--log")
    ap.add_argument("--price", action="append", default=[], help="TYPEID=ISK")
    ap.add_argument("--item", action="append", default=[], help="Name=EID:ISK")
    ap.add_argument("--default-price", type=float, default=1000.0)
    ap.add_argument("--fault", action="append", default=[])
    ap.add_argument("-v", "--verbose", action="store_true")
    ARGS = ap.parse_args()
    for p in ARGS.price:
        k, v = p.split("=", 1)
        STATE["prices"][int(k)] = float(v)
    for it in ARGS.item:
        name, rest = it.rsplit("=", 1)
        eid, isk = rest.split(":", 1)
        STATE["items"][name.lower()] = (int(eid), name, float(isk))
    Handler.faults = Faults(ARGS.fault)
    Handler.verbose = ARGS.verbose
    serve(Handler, ARGS.port_file)


if __name__ == "__main__":
    main()
