#!/usr/bin/env python3
"""A plain stdlib Python peer, shaped like a course peer's server loop, for loopback tests.

Loads a chain file (the `aviary verify` / `aviary export` JSON array) and answers, one datagram at a
time on one UDP socket: STATS with STATS_REPLY (height = number of blocks, hash of the top block),
GET_BLOCK with GET_BLOCK_REPLY (all six block fields null for a height it lacks), and a GOSSIP with
an id it has not seen with a GOSSIP_REPLY to the host and port the GOSSIP names. Everything else is
ignored. Prints its port on stdout, alone on a line, once it is ready.
Usage: python_peer.py CHAIN.json [--host 127.0.0.1] [--port 0] [--name NAME]
"""
import argparse
import json
import socket

BLOCK_FIELDS = ("height", "minedBy", "nonce", "messages", "hash", "timestamp")


def reply_for(msg, chain, seen, me):
    """The (reply, destination) for one decoded request, or None; destination None means the source."""
    kind = msg.get("type")
    if kind == "STATS":
        top = chain[-1]["hash"] if chain else None
        return {"type": "STATS_REPLY", "height": len(chain), "hash": top}, None
    if kind == "GET_BLOCK":
        h = msg.get("height")
        if isinstance(h, int) and not isinstance(h, bool) and 0 <= h < len(chain):
            b = chain[h]
            reply = {"type": "GET_BLOCK_REPLY"}
            reply.update({k: b[k] for k in BLOCK_FIELDS})
            reply["height"] = h
            return reply, None
        reply = {"type": "GET_BLOCK_REPLY"}
        reply.update({k: None for k in BLOCK_FIELDS})
        return reply, None
    if kind == "GOSSIP":
        gid, host, port = msg.get("id"), msg.get("host"), msg.get("port")
        if not isinstance(gid, str) or gid in seen or not isinstance(host, str) or not isinstance(port, int):
            return None
        # Loopback only: this peer is a test fixture, never a path off the machine.
        if not host.startswith("127."):
            return None
        seen.add(gid)
        return {"type": "GOSSIP_REPLY", "host": me[0], "port": me[1], "name": me[2]}, (host, port)
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("chain")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--name", default="python peer")
    args = parser.parse_args()
    with open(args.chain, encoding="utf-8") as f:
        chain = json.load(f)

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((args.host, args.port))
    port = sock.getsockname()[1]
    me = (args.host, port, args.name)
    seen = set()
    print(port, flush=True)
    while True:
        data, addr = sock.recvfrom(2048)
        try:
            msg = json.loads(data)
        except ValueError:
            continue
        if not isinstance(msg, dict):
            continue
        answer = reply_for(msg, chain, seen, me)
        if answer is None:
            continue
        reply, to = answer
        try:
            sock.sendto(json.dumps(reply).encode(), to or addr)
        except OSError:
            pass


if __name__ == "__main__":
    main()
