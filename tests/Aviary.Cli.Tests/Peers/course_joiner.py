#!/usr/bin/env python3
"""A course peer joining the network, as a broken one does: every STATS from a NEW socket, and only
50 ms to wait for the reply before it gives up on that socket.
Prints one JSON line: how many were asked, how many answered, and each answer's latency in ms.
Usage: course_joiner.py HOST PORT [COUNT] [WAIT_MS]
"""
import json
import socket
import sys
import time


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    wait = (int(sys.argv[4]) if len(sys.argv) > 4 else 50) / 1000
    assert host.startswith("127."), "loopback only"
    answered = []
    for _ in range(count):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", 0))
            s.settimeout(wait)
            start = time.perf_counter()
            s.sendto(json.dumps({"type": "STATS"}).encode(), (host, port))
            deadline = start + wait
            while True:
                left = deadline - time.perf_counter()
                if left <= 0:
                    break
                s.settimeout(left)
                try:
                    data, _ = s.recvfrom(1024)
                except socket.timeout:
                    break
                msg = json.loads(data)
                if msg.get("type") == "STATS_REPLY" and isinstance(msg.get("height"), int):
                    answered.append(round((time.perf_counter() - start) * 1000, 2))
                    break
    print(json.dumps({"asked": count, "answered": len(answered), "ms": answered}))


if __name__ == "__main__":
    main()
