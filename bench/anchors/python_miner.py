"""A course-style Python miner loop, the anchor for `aviary bench mining`.

Like a typical student peer: a new hashlib.sha256() per attempt, fed the previous hash, minedBy,
the messages, the 8-byte big-endian timestamp and str(nonce), then hexdigest().endswith('0' * D).
Runs for --seconds and prints one JSON line:
{"attempts": N, "seconds": wall-clock T, "cpu_seconds": CPU time, "found": F}.
"""

import argparse
import hashlib
import json
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--difficulty", type=int, default=8)
    parser.add_argument("--prev", default="")
    parser.add_argument("--mined-by", default="aviary-bench")
    parser.add_argument("--message", action="append", default=[])
    parser.add_argument("--timestamp", type=int, default=1732000000)
    args = parser.parse_args()

    prev_hash = args.prev
    mined_by = args.mined_by
    messages = args.message or ["hello", "world"]
    timestamp = args.timestamp
    target = "0" * args.difficulty

    nonce = 0
    found = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    deadline = start + args.seconds
    while True:
        for _ in range(10_000):
            h = hashlib.sha256()
            h.update(prev_hash.encode())
            h.update(mined_by.encode())
            for m in messages:
                h.update(m.encode())
            h.update(timestamp.to_bytes(8, "big"))
            h.update(str(nonce).encode())
            if h.hexdigest().endswith(target):
                found += 1
            nonce += 1
        if time.perf_counter() >= deadline:
            break
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    print(json.dumps({"attempts": nonce, "seconds": elapsed, "cpu_seconds": cpu, "found": found}))


if __name__ == "__main__":
    main()
