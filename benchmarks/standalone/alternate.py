#!/usr/bin/env python3
"""Runs commands in alternation, ROUNDS times each, rotating their order every round, and prints each
one's median wall time and its ratio to the first command (the median of the per-round ratios, and
the ratio of the medians), with every run. Alternating matters on a shared 2-vCPU machine, whose speed
drifts by tens of percent from one minute to the next: hyperfine runs each command's block in turn.

    python3 alternate.py ROUNDS 'etcdctl ... snapshot save /tmp/x.db' './e2d snapshot save ...' ...

Each command is run with `sh -c`, its output discarded; a command that fails stops the run.
"""
import statistics
import subprocess
import sys
import time

rounds = int(sys.argv[1])
commands = sys.argv[2:]
if rounds < 1 or len(commands) < 2:
    sys.exit("usage: alternate.py ROUNDS BASELINE COMMAND...")
times = [[] for _ in commands]
for r in range(rounds):
    for i in [(r + k) % len(commands) for k in range(len(commands))]:
        start = time.monotonic()
        done = subprocess.run(["sh", "-c", commands[i]], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if done.returncode != 0:
            sys.exit(f"failed ({done.returncode}): {commands[i]}\n{done.stderr.decode(errors='replace')}")
        times[i].append(time.monotonic() - start)
base = times[0]
for command, t in zip(commands, times):
    per_round = statistics.median(a / b for a, b in zip(t, base))
    print(f"{statistics.median(t):6.3f} s median, {per_round:.2f}x per round, "
          f"{statistics.median(t) / statistics.median(base):.2f}x of medians: {command}")
    print("        runs " + " ".join(f"{x:.2f}" for x in t))
