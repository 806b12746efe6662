#!/usr/bin/env python3
"""Fills the etcd at ENDPOINT (default http://127.0.0.1:23790) with COUNT (default 512) values of
512 KiB under /bench/, 3/4 short JSON-like text and 1/4 random bytes per 64-byte piece, as
BenchEtcd.fill does: about 300 MiB of database that zstd level 1 stores in about 87 MiB.

    python3 fill.py [ENDPOINT [COUNT]]
"""
import random
import subprocess
import sys

endpoint = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:23790"
count = int(sys.argv[2]) if len(sys.argv) > 2 else 512
rng = random.Random(1)
for i in range(count):
    value = bytearray(512 * 1024)
    for off in range(0, len(value), 64):
        if rng.randrange(4) == 0:
            value[off:off + 64] = rng.randbytes(64)
        else:
            value[off:off + 64] = ('{"pod":"app-%d-%d","ok":true}' % (i, off)).ljust(64).encode()[:64]
    # etcdctl reads the value from stdin when the command line gives none
    subprocess.run(["etcdctl", "--endpoints=" + endpoint, "put", "/bench/%d" % i],
                   input=bytes(value), check=True, stdout=subprocess.DEVNULL)
