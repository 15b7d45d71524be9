#!/usr/bin/env python3
"""A course peer that serves one request per socket, as some real ones do.

It reads ONE datagram, answers it, then closes its socket and opens a new one on the same
port: whatever else the kernel had queued for the old socket is lost. Serves GOSSIP (with a
GOSSIP_REPLY), STATS and GET_BLOCK for a chain file (a JSON array of blocks). Standard library only.

usage: one_per_socket_peer.py CHAIN_FILE [LIFETIME_SECONDS]
Prints the port it listens on (one line), then serves until LIFETIME_SECONDS (default 120) pass.
"""
import json
import socket
import sys
import time

FIELDS = ("height", "minedBy", "nonce", "messages", "hash", "timestamp")


def open_socket(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.settimeout(0.5)  # only so that the lifetime is checked; a timeout keeps the same socket
    return s


def answer(message, chain):
    kind = message.get("type")
    if kind == "GOSSIP":
        return (message["host"], message["port"]), {"type": "GOSSIP_REPLY", "host": "127.0.0.1", "port": PORT, "name": "one-per-socket"}
    if kind == "STATS":
        return None, {"type": "STATS_REPLY", "height": len(chain), "hash": chain[-1]["hash"] if chain else None}
    if kind == "GET_BLOCK":
        h = message.get("height")
        if isinstance(h, int) and 0 <= h < len(chain):
            return None, dict(chain[h], type="GET_BLOCK_REPLY")
        return None, dict({f: None for f in FIELDS}, type="GET_BLOCK_REPLY")
    return None, None


def main():
    global PORT
    with open(sys.argv[1], encoding="utf-8") as f:
        chain = json.load(f)
    deadline = time.monotonic() + (float(sys.argv[2]) if len(sys.argv) > 2 else 120.0)
    sock = open_socket(0)
    PORT = sock.getsockname()[1]
    print(PORT, flush=True)
    while time.monotonic() < deadline:
        try:
            data, source = sock.recvfrom(2048)
        except socket.timeout:
            continue
        except OSError:
            continue  # e.g. an ICMP error reported on the socket
        try:
            to, reply = answer(json.loads(data), chain)
        except (ValueError, KeyError, TypeError, AttributeError):
            to, reply = None, None
        if reply is not None:
            try:
                sock.sendto(json.dumps(reply).encode(), to or source)
            except OSError:
                pass
        # One datagram per socket: close (dropping anything queued) and reopen on the same port.
        sock.close()
        sock = open_socket(PORT)


PORT = 0
if __name__ == "__main__":
    main()
