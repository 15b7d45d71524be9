#!/usr/bin/env python3
"""Anchor for `aviary bench sync`: a stdlib Python server and client doing the same job.

The server answers GET_BLOCK from a chain file (the `aviary verify` format); the client keeps 32
requests in flight, re-requests lost ones, verifies every block against its predecessor with
hashlib (the course's hash rule), and prints one JSON line with blocks/s.
Usage: sync_anchor.py CHAIN.json DIFFICULTY [LOSS]
"""
import hashlib
import json
import random
import socket
import sys
import threading
import time
from collections import deque

IN_FLIGHT = 32


def block_hash(block, prev):
    h = hashlib.sha256()
    if prev is not None:
        h.update(prev.encode())
    h.update(block["minedBy"].encode())
    for m in block["messages"]:
        h.update(m.encode())
    h.update(block["timestamp"].to_bytes(8, "big"))
    h.update(block["nonce"].encode())
    return h.hexdigest()


def serve(sock, chain, loss, stop):
    rnd = random.Random(7)
    while not stop.is_set():
        try:
            data, addr = sock.recvfrom(1024)
        except socket.timeout:
            continue
        msg = json.loads(data)
        if msg.get("type") != "GET_BLOCK":
            continue
        h = msg["height"]
        if loss and rnd.random() < loss:
            continue
        b = chain[h]
        reply = {"type": "GET_BLOCK_REPLY", "height": h, "minedBy": b["minedBy"], "nonce": b["nonce"],
                 "messages": b["messages"], "hash": b["hash"], "timestamp": b["timestamp"]}
        sock.sendto(json.dumps(reply).encode(), addr)


def main():
    chain = json.load(open(sys.argv[1], encoding="utf-8"))
    difficulty = int(sys.argv[2])
    loss = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    server.settimeout(0.2)
    stop = threading.Event()
    threading.Thread(target=serve, args=(server, chain, loss, stop), daemon=True).start()
    addr = server.getsockname()

    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.settimeout(0.05)
    n = len(chain)
    got = {}
    sent_at = {}
    next_new = 0
    verified = 0
    prev = None
    start = time.perf_counter()
    retry_q = deque()
    while verified < n:
        now = time.perf_counter()
        for h, t in list(sent_at.items()):
            if now - t > 0.2:
                del sent_at[h]
                retry_q.append(h)
        while len(sent_at) < IN_FLIGHT:
            if retry_q:
                h = retry_q.popleft()
                if h < verified or h in got or h in sent_at:
                    continue
            elif next_new < n:
                h = next_new
                next_new += 1
            else:
                break
            client.sendto(json.dumps({"type": "GET_BLOCK", "height": h}).encode(), addr)
            sent_at[h] = time.perf_counter()
        try:
            data, _ = client.recvfrom(1024)
        except socket.timeout:
            continue
        b = json.loads(data)
        h = b["height"]
        sent_at.pop(h, None)
        got[h] = b
        while verified in got:
            blk = got.pop(verified)
            if block_hash(blk, prev) != blk["hash"] or not blk["hash"].endswith("0" * difficulty):
                print(json.dumps({"error": f"block {verified} failed verification"}))
                sys.exit(1)
            prev = blk["hash"]
            verified += 1
    elapsed = time.perf_counter() - start
    stop.set()
    print(json.dumps({"blocks": n, "seconds": elapsed, "blocks_per_second": n / elapsed}))


if __name__ == "__main__":
    main()
