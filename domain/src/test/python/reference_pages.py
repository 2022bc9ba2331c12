#!/usr/bin/env python3
"""Golden page choices from the reference's published algorithm (macrocosm-os/pretraining
pretrain/dataset.py at 42328de, described in spec/REFERENCE.md section 5), run on CPython's own
`random` module. Regenerate with:

    python3 domain/src/test/python/reference_pages.py > domain/src/test/resources/golden/reference-pages.json

Only the random draws are reproduced (no HTTP): every fetch is assumed to succeed, which is the
case the Java sampler must match (it retries the same page instead of drawing a new one).
"""
import hashlib
import json
import random
import sys

ROWS_PER_PAGE = 50
DUPLICATE_THRESHOLD = 100


def seed_of(block_hash):
    return int(hashlib.sha256(block_hash.encode("utf-8")).hexdigest(), 16)


def simple_round(num_pages, max_pages):
    # SubsetLoader._sample_pages
    return [random.randint(1, max_pages) for _ in range(num_pages)]


def configs_round(num_pages, configs):
    # SubsetFineWebEdu2Loader._fetch_data_to_buffer + get_random_pages, all fetches succeeding
    names = list(configs.keys())
    pages = []
    duplicates = 0
    initial_offset = random.randint(0, ROWS_PER_PAGE - 1)
    while len(pages) < num_pages:
        name = random.choice(names)
        rows = configs[name]["num_rows"] - initial_offset
        page_count = (rows + 1) // ROWS_PER_PAGE
        start = initial_offset + random.randint(0, page_count - 1) * ROWS_PER_PAGE
        page = (name, start, configs[name]["split"])
        if page in pages:
            duplicates += 1
            if duplicates >= DUPLICATE_THRESHOLD:
                break
            continue
        pages.append(page)
    return pages


def configs_from_size(splits):
    # fetch_dataset_configs: a dict comprehension, so a repeated config keeps its first position
    # and its last values; "default" is left out.
    out = {}
    for entry in splits:
        if entry["config"] != "default":
            out[entry["config"]] = {"num_rows": entry["num_rows"], "split": entry["split"]}
    return out


FINEWEB_SPLITS = [
    {"config": "default", "split": "train", "num_rows": 5_000_000_000},
    {"config": "CC-MAIN-2013-20", "split": "train", "num_rows": 113_811_423},
    {"config": "CC-MAIN-2024-10", "split": "train", "num_rows": 210_000_000},
    {"config": "CC-MAIN-2019-35", "split": "train", "num_rows": 97_654_321},
    {"config": "sample-10BT", "split": "train", "num_rows": 14_868_862},
]
# Few rows: duplicates are drawn and re-drawn, and the threshold stops the round early.
SMALL_SPLITS = [
    {"config": "a", "split": "train", "num_rows": 120},
    {"config": "b", "split": "test", "num_rows": 99},
]

SEEDS = [
    0,
    1,
    42,
    2**32 - 1,
    2**32,
    seed_of("0x5c2f5b3a9e0f2d1c8b7a69584736251403f2e1d0c9b8a79685746352413f2e1d"),
    seed_of("0x0000000000000000000000000000000000000000000000000000000000000000"),
]

cases = []
for seed in SEEDS:
    for name, max_pages in (("falcon", 968_000_015), ("pes2ox", 8_242_000), ("stack-v2", 5_451_114_734), ("tiny", 3)):
        random.seed(seed)
        rounds = [simple_round(15, max_pages) for _ in range(2)]
        cases.append({"style": "simple", "name": name, "seed": str(seed), "numPages": 15, "minOffset": 1,
                      "maxOffset": max_pages, "rounds": [[{"offset": p} for p in r] for r in rounds]})
    for name, splits, num_pages in (("fineweb", FINEWEB_SPLITS, 15), ("small", SMALL_SPLITS, 6)):
        random.seed(seed)
        configs = configs_from_size(splits)
        rounds = [configs_round(num_pages, configs) for _ in range(2)]
        cases.append({"style": "configs", "name": name, "seed": str(seed), "numPages": num_pages, "splits": splits,
                      "rounds": [[{"config": c, "offset": o, "split": s} for (c, o, s) in r] for r in rounds]})

shuffles = []
for seed in SEEDS:
    for n in (1, 2, 7, 50, 173):
        order = list(range(n))
        random.Random(seed).shuffle(order)
        shuffles.append({"seed": str(seed), "n": n, "order": order})

json.dump({"generator": "domain/src/test/python/reference_pages.py",
           "python": sys.version.split()[0],
           "blockHashSeeds": {"0x5c2f...": str(SEEDS[5])},
           "pages": cases, "shuffles": shuffles}, sys.stdout, indent=1)
print()
