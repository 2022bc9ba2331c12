#!/usr/bin/env python3
"""Golden fixtures for the domain tests, computed with CPython from the reference formulas
(spec/REFERENCE.md sections 1.3, 1.4, 3 and 5), independently of the Java code under test.

Run from the repository root:  python3 domain/src/test/python/make_golden.py
Output: domain/src/test/resources/golden/*.json (committed).
"""
import base64
import hashlib
import json
import math
import os
import random
import sys
import tempfile

OUT = os.path.join("domain", "src", "test", "resources", "golden")


# ---- CPython random: sequences of operations per seed -------------------------------------
def mt_cases():
    seeds = [0, 1, 42, 2**32 - 1, 2**32, 2**64 + 5, -7,
             int(hashlib.sha256(b"0x" + b"ab" * 32).hexdigest(), 16)]
    cases = []
    for seed in seeds:
        rng = random.Random(seed)
        ops = []
        for _ in range(5):
            ops.append({"op": "getrandbits", "k": 32, "result": str(rng.getrandbits(32))})
        for k in (1, 7, 31, 33, 64, 70, 256):
            ops.append({"op": "getrandbits", "k": k, "result": str(rng.getrandbits(k))})
        for a, b in ((1, 968000015), (0, 49), (1, 8242000), (0, 0), (5, 6), (1, 5451114734)):
            ops.append({"op": "randint", "a": a, "b": b, "result": rng.randint(a, b)})
        for _ in range(3):
            ops.append({"op": "random", "result": repr(rng.random())})
        for n in (1, 2, 7, 100):
            seq = list(range(n))
            ops.append({"op": "choice", "n": n, "result": rng.choice(seq)})
        seq = list(range(60))
        rng.shuffle(seq)
        ops.append({"op": "shuffle", "n": 60, "result": seq})
        # Many draws, so the generator twists its state more than once.
        total = 0
        for _ in range(2000):
            total = (total * 31 + rng.getrandbits(32)) % (2**61 - 1)
        ops.append({"op": "fold2000", "result": str(total)})
        cases.append({"seed": str(seed), "ops": ops})
    return {"python": sys.version.split()[0], "cases": cases}


# ---- data seed (taoverse get_hash_of_sync_block) ------------------------------------------
def seed_cases():
    hashes = ["0x" + hashlib.sha256(str(i).encode()).hexdigest() for i in range(4)]
    hashes.append("0x" + "00" * 32)
    out = []
    for h in hashes:
        out.append({"blockHash": h, "seed": str(int(hashlib.sha256(h.encode("utf-8")).hexdigest(), 16))})
    blocks = [{"block": b, "syncBlock": b // 150 * 150} for b in (0, 149, 150, 151, 5177981, 4999999)]
    return {"seeds": out, "syncBlocks": blocks}


# ---- model hash (taoverse get_hash_of_directory / get_hash_of_two_strings) ----------------
def file_b64(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(65536), b""):
            h.update(chunk)
    return base64.b64encode(h.digest()).decode("utf-8")


def dir_hash(path):
    outer = hashlib.sha256()
    for root, dirs, files in os.walk(path):
        dirs.sort()
        files.sort()
        for name in files:
            outer.update(file_b64(os.path.join(root, name)).encode())
    return base64.b64encode(outer.digest()).decode("utf-8")


def pattern(size, mul, add):
    return bytes((i * mul + add) % 251 for i in range(size))


HASH_FILES = [  # (relative path, size, mul, add); content = pattern(...)
    ("config.json", 0, 0, 0),  # replaced by text below
    ("model.safetensors", 200_003, 31, 7),
    ("B.bin", 65_536, 3, 1),
    ("a.bin", 65_537, 5, 2),
    ("z.txt", 10, 7, 3),
    ("\u00e9t\u00e9.txt", 11, 11, 4),
    ("sub/x.bin", 1000, 13, 5),
    ("sub/deeper/y.bin", 0, 1, 1),
    ("Sub2/w.bin", 77, 17, 6),
    ("sub/A.bin", 5, 19, 8),
]
CONFIG_TEXT = '{"architectures": ["GPT2LMHeadModel"], "n_layer": 2}\n'


def hash_cases():
    with tempfile.TemporaryDirectory() as tmp:
        for rel, size, mul, add in HASH_FILES:
            p = os.path.join(tmp, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(CONFIG_TEXT.encode() if rel == "config.json" else pattern(size, mul, add))
        h = dir_hash(tmp)
        hotkey = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
        secure = base64.b64encode(hashlib.sha256((h + hotkey).encode()).digest()).decode("utf-8")
        files = [{"path": rel, "size": size, "mul": mul, "add": add} for rel, size, mul, add in HASH_FILES]
        per_file = {rel: file_b64(os.path.join(tmp, rel)) for rel, *_ in HASH_FILES}
    with tempfile.TemporaryDirectory() as tmp:
        empty = dir_hash(tmp)
    return {"configText": CONFIG_TEXT, "files": files, "fileHashes": per_file, "hash": h,
            "hotkey": hotkey, "secureHash": secure, "emptyDirectoryHash": empty}


# ---- scoring (pretraining validation.py since f51c396, taoverse epsilon/tracker) ----------
def eps_fn(spec):
    if spec["kind"] == "fixed":
        return lambda cur, block: spec["value"]

    def linear(cur, block):
        d = max(cur - block, 0)
        frac = min(d / spec["decayBlocks"], 1)
        return spec["start"] - frac * (spec["start"] - spec["end"])
    return linear


def iswin(li, lj, bi, bj, eps, cur):
    li = (1 - eps(cur, bi)) * li if bi < bj else li
    lj = (1 - eps(cur, bj)) * lj if bj < bi else lj
    return li < lj


def competitive(scores, blocks, eps):
    full = 1 - eps(math.inf, 0)
    decayed = {u: scores[u] * full for u in blocks}
    keep = []
    for u, b in blocks.items():
        ok = True
        for v, bv in blocks.items():
            if v != u and bv <= b and scores[u] >= decayed[v]:
                ok = False
                break
        if ok:
            keep.append(u)
    return keep


def wins_of(uids, scores, blocks, eps, cur):
    wins, rate = {}, {}
    for i in uids:
        w, m = 0, 0
        for j in uids:
            if i == j:
                continue
            w += 1 if iswin(scores[i], scores[j], blocks[i], blocks[j], eps, cur) else 0
            m += 1
        wins[i] = w
        rate[i] = w / m if m > 0 else 1.0
    return wins, rate


def softmax(xs, t):
    xs = [x / t for x in xs]
    m = max(xs)
    e = [math.exp(x - m) for x in xs]
    s = sum(e)
    return [v / s for v in e]


def to_u16(weights):
    if sum(weights) == 0:
        return [], []
    mx = float(max(weights))
    ws = [float(w) / mx for w in weights]
    uids, vals = [], []
    for i, w in enumerate(ws):
        v = round(float(w) * 65535)
        if v != 0:
            uids.append(i)
            vals.append(v)
    return uids, vals


def scoring_cases():
    rng = random.Random(20261122)
    cases = []
    specs = [{"kind": "linear-decay", "start": 0.005, "end": 0.0001, "decayBlocks": 14400},
             {"kind": "linear-decay", "start": 0.005, "end": 0.0005, "decayBlocks": 50400},
             {"kind": "fixed", "value": 0.005}, {"kind": "fixed", "value": 0.0}]
    for case in range(60):
        spec = specs[case % len(specs)]
        eps = eps_fn(spec)
        n = rng.choice([1, 2, 3, 5, 8, 20, 40])
        cur = 5_200_000
        uids = rng.sample(range(256), n)
        scores, blocks = {}, {}
        for u in uids:
            r = rng.random()
            scores[u] = math.inf if r < 0.08 else round(2.0 + rng.random() * 0.2, rng.choice([2, 3, 6, 12]))
            blocks[u] = cur - rng.choice([0, 10, 100, 1000, 7200, 14400, 30000, rng.randint(0, 40000)])
        if n >= 3 and case % 5 == 0:  # a same-block tie and an exact copy
            a, b = uids[0], uids[1]
            blocks[b] = blocks[a]
            scores[b] = scores[a]
        comp = competitive(scores, blocks, eps)
        wins, rate = wins_of(comp, scores, blocks, eps, cur)
        models = [{"uid": u, "score": "inf" if math.isinf(scores[u]) else scores[u], "block": blocks[u]} for u in uids]
        expected = {"competitiveUids": comp, "wins": {str(u): wins[u] for u in comp},
                    "winRates": {str(u): rate[u] for u in comp}}
        if comp:
            w = softmax([rate.get(u, 0) for u in uids], 0.01)
            expected["weights"] = {str(u): w[k] for k, u in enumerate(uids)}
            vec = [0.0] * 256
            for k, u in enumerate(uids):
                vec[u] = w[k]
            s = sum(vec)
            vec = [v / s for v in vec]
            cu, cv = to_u16(vec)
            expected["chainUids"], expected["chainValues"] = cu, cv
        else:
            expected["weights"] = {}
        cases.append({"currentBlock": cur, "epsilon": spec, "temperature": 0.01, "models": models, "expected": expected})
    # EMA and reward mixing over a few steps of two competitions (CompetitionTracker).
    ema_steps = []
    tracker = {}
    for step in range(6):
        comp_id = 2 if step % 2 == 0 else 4
        new = [0.0] * 16
        for u in rng.sample(range(16), 4):
            new[u] = rng.random()
        s = sum(new)
        norm = [v / s for v in new]
        if comp_id not in tracker:
            tracker[comp_id] = norm
        else:
            tracker[comp_id] = [0.5 * o + 0.5 * n for o, n in zip(tracker[comp_id], norm)]
        shares = {2: 0.3, 4: 0.7}
        mixed = [0.0] * 16
        for c, w in tracker.items():
            mixed = [m + v * shares[c] for m, v in zip(mixed, w)]
        tot = sum(mixed)
        mixed = [m / tot for m in mixed]
        ema_steps.append({"competition": comp_id, "stepWeights": {str(u): v for u, v in enumerate(new) if v != 0},
                          "subnetWeights": mixed, "chain": dict(zip(("uids", "values"), to_u16(mixed)))})
    u16_cases = []
    for weights in ([0.5, 0.25, 0.25], [1.0, 0.5 / 65535, 1.5 / 65535, 2.5 / 65535, 0.49 / 65535], [0, 0, 0], [3, 0, 1e-9, 2]):
        cu, cv = to_u16(weights)
        u16_cases.append({"weights": weights, "uids": cu, "values": cv})
    return {"steps": cases, "ema": ema_steps, "u16": u16_cases}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, data in (("mt19937.json", mt_cases()), ("data-seed.json", seed_cases()),
                       ("model-hash.json", hash_cases()), ("scoring.json", scoring_cases())):
        with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, ensure_ascii=True)
            f.write("\n")
        print("wrote", os.path.join(OUT, name))


if __name__ == "__main__":
    main()
