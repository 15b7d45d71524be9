#!/usr/bin/env python3
"""A slow course peer syncing a chain: a small receive buffer, a little work per datagram (as a
Python peer that verifies as it reads), and bursts: it sends a GET_BLOCK for every height it still
lacks at once, reads until its socket is quiet for ROUND seconds, then asks again for what is missing.
It joins first as course peers do: a GOSSIP naming itself, and a GOSSIP_REPLY to any GOSSIP it gets.
Prints one JSON line: blocks, seconds (from the first GET_BLOCK), rounds, requests sent, verified.
Usage: slow_sync.py HOST PORT DIFFICULTY [RCVBUF] [DELAY_MS] [ROUND_S] [DEADLINE_S]
"""
import hashlib
import json
import socket
import sys
import time
import uuid


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


class Peer:
    def __init__(self, node, rcvbuf, delay):
        self.node = node
        self.delay = delay
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.bind(("127.0.0.1", 0))
        self.me = self.sock.getsockname()
        self.height = None
        self.blocks = {}

    def send(self, msg, to=None):
        self.sock.sendto(json.dumps(msg).encode(), to or self.node)

    def handle(self, data):
        """One datagram, with the per-datagram work of a peer that checks what it reads."""
        time.sleep(self.delay)
        try:
            msg = json.loads(data)
        except ValueError:
            return
        kind = msg.get("type")
        if kind == "GOSSIP" and isinstance(msg.get("port"), int) and str(msg.get("host", "")).startswith("127."):
            self.send({"type": "GOSSIP_REPLY", "host": self.me[0], "port": self.me[1], "name": "slow sync"}, (msg["host"], msg["port"]))
        elif kind == "STATS_REPLY" and isinstance(msg.get("height"), int):
            self.height = msg["height"]
        elif kind == "GET_BLOCK_REPLY" and isinstance(msg.get("height"), int) and isinstance(msg.get("hash"), str):
            self.blocks[msg["height"]] = msg

    def read_until_quiet(self, quiet, stop=lambda: False):
        self.sock.settimeout(quiet)
        while not stop():
            try:
                data, _ = self.sock.recvfrom(2048)
            except socket.timeout:
                return
            self.handle(data)


def main():
    host, port, difficulty = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rcvbuf = int(sys.argv[4]) if len(sys.argv) > 4 else 8192
    delay = (float(sys.argv[5]) if len(sys.argv) > 5 else 1.0) / 1000
    round_s = float(sys.argv[6]) if len(sys.argv) > 6 else 1.0
    deadline_s = float(sys.argv[7]) if len(sys.argv) > 7 else 40.0
    assert host.startswith("127."), "loopback only"
    peer = Peer((host, port), rcvbuf, delay)

    # Join: gossip our address, answer what comes back for a moment, then ask the height.
    peer.send({"type": "GOSSIP", "host": peer.me[0], "port": peer.me[1], "id": str(uuid.uuid4()), "name": "slow sync"})
    peer.read_until_quiet(0.3)
    while peer.height is None:
        peer.send({"type": "STATS"})
        peer.read_until_quiet(0.3, lambda: peer.height is not None)

    n = peer.height
    start = time.perf_counter()
    rounds = requests = 0
    while len(peer.blocks) < n and time.perf_counter() - start < deadline_s:
        rounds += 1
        for h in range(n):
            if h not in peer.blocks:
                peer.send({"type": "GET_BLOCK", "height": h})
                requests += 1
        peer.read_until_quiet(round_s, lambda: len(peer.blocks) >= n)
    seconds = time.perf_counter() - start

    prev = None
    verified = len(peer.blocks) == n
    for h in range(len(peer.blocks) if verified else 0):
        b = peer.blocks[h]
        if block_hash(b, prev) != b["hash"] or not b["hash"].endswith("0" * difficulty):
            verified = False
            break
        prev = b["hash"]
    print(json.dumps({"blocks": len(peer.blocks), "of": n, "seconds": round(seconds, 3), "rounds": rounds, "requests": requests, "verified": verified}))


if __name__ == "__main__":
    main()
