#!/usr/bin/python3
"""genkills.py N SEED — N synthetic but realistic killmails, one per line.

Canonical wn records (ESI names + zkb + enrichment names): victims with
fitted items (some containers with nested items), attacker counts skewed
like real traffic (mostly small gangs, a tail of fleet fights with hundreds
of attackers), k-space and wormhole systems.  Deterministic for a seed, so
bench runs compare the same bytes.  Standard library only."""
import json
import random
import sys

NAMES = ["Aeryn Sun", "Kaelen Varr", "Mira Oksanen", "Jörmungandr Ulf",
         "Šárka Novák", "Tarek Al-Rahim", "Li Wei", "Ōkami Ren",
         "Brienne Tarth", "Zed Kovač", "Ingrid Hvalsø", "Ana Lúcia"]
CORPS = [(98000000 + i, "Corp %d" % i, "C%03d" % i) for i in range(400)]
ALLIANCES = [(99000000 + i, "Alliance %d" % i, "A%02d" % i) for i in range(60)]
SHIPS = [(670, "Capsule"), (587, "Rifter"), (11987, "Cerberus"),
         (29990, "Loki"), (22456, "Sabre"), (29986, "Legion"),
         (17738, "Machariel"), (33470, "Stratios"), (12005, "Ishtar"),
         (47466, "Praxis"), (24690, "Vindicator"), (28710, "Golem")]
LABELS = ["cat:6", "#:1", "#:2+", "#:5+", "#:10+", "#:100+", "pvp", "npc",
          "solo", "loc:w-space", "loc:nullsec", "loc:lowsec", "loc:highsec",
          "isk:1b+", "isk:100m+", "isk:10m+", "ganked", "awox"]


def system(rng):
    if rng.random() < 0.35:
        return rng.randint(31000001, 31002604)     # wormhole space
    return rng.randint(30000001, 30005000)         # known space


def party(rng):
    corp = rng.choice(CORPS)
    p = {"character_id": rng.randint(90000000, 2124000000),
         "character_name": rng.choice(NAMES),
         "corporation_id": corp[0], "corporation_name": corp[1],
         "corporation_ticker": corp[2]}
    if rng.random() < 0.7:
        al = rng.choice(ALLIANCES)
        p.update(alliance_id=al[0], alliance_name=al[1], alliance_ticker=al[2])
    return p


def item(rng, depth=0):
    it = {"flag": rng.choice([5, 11, 12, 19, 20, 27, 28, 29, 87, 92, 93, 158]),
          "item_type_id": rng.randint(100, 60000), "singleton": 0}
    key = "quantity_dropped" if rng.random() < 0.5 else "quantity_destroyed"
    it[key] = rng.choice([1, 1, 1, 2, 5, 100, 2500])
    if depth == 0 and rng.random() < 0.05:
        it["items"] = [item(rng, 1) for _ in range(rng.randint(1, 8))]
    return it


def attackers(rng, n):
    out = []
    fb = rng.randrange(n)
    for i in range(n):
        ship = rng.choice(SHIPS)
        if rng.random() < 0.05:          # NPC / structure attacker
            a = {"corporation_id": 1000125, "ship_type_id": ship[0]}
        else:
            a = party(rng)
            a["ship_type_id"] = ship[0]
            a["ship_type_name"] = ship[1]
            a["weapon_type_id"] = rng.randint(2000, 40000)
            a["weapon_type_name"] = "Weapon %d" % a["weapon_type_id"]
        a["damage_done"] = rng.randint(0, 30000)
        a["final_blow"] = i == fb
        a["security_status"] = round(rng.uniform(-10, 5), 1)
        out.append(a)
    return out


def killmail(rng, kid, t):
    n = rng.choice([1, 1, 2, 3, 4, 5, 7, 10, 15, 25]) if rng.random() < 0.93 \
        else rng.randint(30, 400)
    ship = rng.choice(SHIPS)
    v = party(rng)
    v.update(ship_type_id=ship[0], ship_type_name=ship[1],
             damage_taken=rng.randint(300, 900000),
             items=[item(rng) for _ in range(rng.randint(0, 60))],
             position={"x": rng.uniform(-1e12, 1e12), "y": rng.uniform(-1e11, 1e11),
                       "z": rng.uniform(-1e12, 1e12)})
    sid = system(rng)
    total = round(rng.lognormvariate(17, 2), 2)
    dropped = round(total * rng.random(), 2)
    return {"type": "killmail", "killmail_id": kid,
            "killmail_hash": "%040x" % rng.getrandbits(160),
            "killmail_time": "2026-%02d-%02dT%02d:%02d:%02dZ" % t,
            "solar_system_id": sid, "solar_system_name": "J%06d" % (sid % 1000000),
            "victim": v, "attackers": attackers(rng, n),
            "zkb": {"locationID": rng.randint(40000000, 40500000),
                    "hash": "%040x" % rng.getrandbits(160),
                    "fittedValue": round(total * 0.6, 2), "droppedValue": dropped,
                    "destroyedValue": round(total - dropped, 2), "totalValue": total,
                    "points": rng.randint(1, 500), "npc": rng.random() < 0.08,
                    "solo": n == 1, "awox": rng.random() < 0.01,
                    "labels": rng.sample(LABELS, rng.randint(1, 5))}}


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    out = sys.stdout
    for i in range(n):
        t = (1 + i * 12 // n, 1 + i % 28, i % 24, i % 60, (i * 7) % 60)
        out.write(json.dumps(killmail(rng, 120000000 + i, t),
                             ensure_ascii=False, separators=(",", ":")))
        out.write("\n")


if __name__ == "__main__":
    main()
