#!/usr/bin/env python3
"""Writes the seed corpus of the Aviary fuzz target into fuzz/corpus/.

Real messages from protocol.md and the shared block vectors, quirky variants seen in the wild, and a
few multi-datagram inputs (datagrams separated by the byte 0x1E, see DatagramTarget.cs) that walk a
node through a consensus round and a download. Run from the repository root:
    python3 fuzz/make_corpus.py ../shared/vectors/blocks.json
"""
import hashlib
import json
import os
import sys

SEP = b"\x1e"
out = os.path.join(os.path.dirname(__file__), "corpus")
os.makedirs(out, exist_ok=True)
seeds = {}


def seed(name, data):
    seeds[name] = data if isinstance(data, bytes) else data.encode("utf-8")


def block_json(b, kind="GET_BLOCK_REPLY"):
    return json.dumps({"type": kind, "height": b["height"], "minedBy": b["minedBy"], "nonce": b["nonce"],
                       "messages": b["messages"], "hash": b["hash"], "timestamp": b["timestamp"]})


# protocol.md, as real peers sent them (Python separators, differing key orders).
seed("gossip-real", '{"type":"GOSSIP","host":"130.179.28.120","port":8505,"id":"088fb841-4e28-4aed-97da-2bcea2927afd","name":"The Crevice III"}')
seed("gossip-sorted", '{"host": "130.179.28.113", "id": "abc", "name": "GossipZilla!", "port": 8745, "type": "GOSSIP"}')
seed("gossip-reply-real", '{"type":"GOSSIP_REPLY","host":"130.179.28.129","port":8755,"name":"Cole Chuchmach"}')
seed("gossip-reply-hyphen", '{"type": "GOSSIP-REPLY", "host": "127.0.0.3", "port": 8999, "name": "x"}')
seed("stats", '{"type":"STATS"}')
seed("stats-reply-real", '{"type":"STATS_REPLY","height":4542,"hash":"caab6110a889deb0082812c2ef7213cd8aa1f58cd86c10885e1ad44000000000"}')
seed("stats-reply-empty", '{"type": "STATS_REPLY", "height": 0, "hash": null}')
seed("stats-reply-strings", '{"type":"STATS_REPLY","height":"None","hash":"doing conensus"}')
seed("stats-reply-huge", '{"type":"STATS_REPLY","height":9223372036854775807,"hash":"' + "a" * 56 + '00000000"}')
for h in ["0", "-1", "59382", '"5"', "null", "1.5", "1e3", "true", "[]"]:
    seed(f"get-block-{h.strip(chr(34)).replace('.', '_')}", '{"type":"GET_BLOCK","height":' + h + "}")
seed("get-block-reply-null", '{"type": "GET_BLOCK_REPLY", "height": null, "minedBy": null, "nonce": null, "messages": null, "hash": null, "timestamp": null}')
seed("get-block-reply-none-strings", '{"type":"GET_BLOCK_REPLY","height":"None","minedBy":"None","nonce":"None","messages":"None","hash":"None","timestamp":"None"}')
seed("get-block-reply-float-time", '{"type":"GET_BLOCK_REPLY","height":null,"minedBy":null,"nonce":null,"messages":null,"hash":null,"timestamp":1733103931.25}')
seed("get-block-reply-duplicate-key", '{"type":"GET_BLOCK_REPLY","height":3,"minedBy":"a","minedBy":"b","messages":["x"],"hash":"' + "0" * 64 + '","timestamp":1}')
seed("announce-int-nonce", '{"type":"ANNOUNCE","height":2155,"minedBy":"Nico Rosberg","nonce":146424285,"messages":["Jihan","Park","Mirha"],"hash":"6a90cf4e' + "0" * 56 + '","timestamp":1733103931}')
seed("new-word", '{"type":"NEW_WORD","word":"test"}')
seed("consensus", '{"type":"CONSENSUS"}')
seed("array-reply", '["Sorry, seems we don\'t have 17"]')
seed("empty-chain", '["Empty Chain"]')
seed("flood-old-protocol", '{"type":"FLOOD","host":"127.0.0.1","port":1,"id":"x","name":"old"}')
seed("not-json", "GET / HTTP/1.0\r\n\r\n")
seed("nested", '{"type":"STATS","x":' + "[" * 64 + "]" * 64 + "}")
seed("unicode-nonce", '{"type":"ANNOUNCE","height":1,"minedBy":"leorize","nonce":"*Ic\\u001dB:D\\u0012e?\\u001a\\u0018U2K&","messages":["prot\\u00e9g\\u00e9\'s"],"hash":"' + "0" * 64 + '","timestamp":1}')
seed("bad-utf8", b'{"type":"NEW_WORD","word":"\xff\xfe"}')
seed("trailing-junk", '{"type":"STATS"} {"type":"STATS"}')

# Real blocks from the shared vectors, as replies and announces.
if len(sys.argv) > 1:
    vectors = json.load(open(sys.argv[1]))
    for b in vectors["real_blocks"][:4]:
        seed(f"block-{b['id']}", block_json(b))
        seed(f"announce-{b['id']}", block_json(b, "ANNOUNCE"))
    for b in vectors["constructed_pow_valid_cases"]:
        seed(f"block-{b['id']}", block_json(b))


# A chain the fuzz target also holds (same rule: minedBy "fuzz", messages ["m<h>"], nonce counting
# up until the hash ends in '0'), extended by two blocks, so a claim of 22 blocks can be fetched.
def mine(count):
    chain, prev = [], None
    for h in range(count):
        nonce = 0
        while True:
            body = (prev or "") + "fuzz" + f"m{h}" + (1_733_000_000 + h).to_bytes(8, "big").decode("latin-1") + str(nonce)
            digest = hashlib.sha256(body.encode("latin-1")).hexdigest()
            if digest.endswith("0"):
                chain.append({"height": h, "minedBy": "fuzz", "nonce": str(nonce), "messages": [f"m{h}"], "hash": digest, "timestamp": 1_733_000_000 + h})
                prev = digest
                break
            nonce += 1
    return chain


chain = mine(22)
claim = json.dumps({"type": "STATS_REPLY", "height": 22, "hash": chain[-1]["hash"]})
# Sources rotate bootstrap, peer, stranger, neighbour; the peer is index 1, 5, 9…; consensus asks at 1 s (the fourth datagram).
sync = [b'{"type":"STATS"}'] * 5 + [claim.encode()]
for h in [19, 20, 21, 19, 20, 21]:
    sync += [b"{}", b"{}", b"{}", block_json(chain[h]).encode()]
seed("seq-consensus-and-download", SEP.join(sync))
seed("seq-gossip-then-requests", SEP.join([seeds["gossip-real"], seeds["stats"], seeds["get-block-0"], seeds["consensus"]]))
seed("seq-announce-next", SEP.join([block_json(chain[20], "ANNOUNCE").encode(), block_json(chain[21], "ANNOUNCE").encode()]))

for name, data in seeds.items():
    with open(os.path.join(out, name + ".bin"), "wb") as f:
        f.write(data)
print(f"{len(seeds)} seeds in {out}")
