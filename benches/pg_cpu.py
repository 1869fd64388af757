#!/usr/bin/env python3
"""CPU time of the PostgreSQL backends of one client application, for benches/run.sh.

    benches/pg_cpu.py APPLICATION_NAME

Samples every 0.2 s, over one psql session, which backends carry APPLICATION_NAME
(pg_stat_activity) and reads each one's CPU time from /proc; on SIGTERM it prints the
CPU time, in clock ticks, those backends spent since it started. Per backend, not the sum
over all of PostgreSQL's processes: a backend of another server that exits meanwhile
(its pool closing idle connections) takes its lifetime CPU out of such a sum. A backend
that exits between two samples loses at most 0.2 s of its CPU here.
"""
import signal
import subprocess
import sys
import time

application = sys.argv[1]
psql = subprocess.Popen(
    ["psql", "-X", "-At", "-d", "postgres"],
    stdin=subprocess.PIPE,
    stdout=subprocess.PIPE,
    text=True,
    bufsize=1,
)
query = (
    "SELECT coalesce(string_agg(pid::text, ','), '') FROM pg_stat_activity "
    f"WHERE application_name = '{application}';\n"
)


def ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


def backends():
    psql.stdin.write(query)
    line = psql.stdout.readline().strip()
    return [int(p) for p in line.split(",") if p]


first = {}
last = {}
for pid in backends():
    t = ticks(pid)
    if t is not None:
        first[pid] = t
        last[pid] = t
running = True


def stop(*_):
    global running
    running = False


def sample():
    for pid in backends():
        t = ticks(pid)
        if t is not None:
            # A backend seen for the first time began during the run: all of it counts.
            first.setdefault(pid, 0)
            last[pid] = t


signal.signal(signal.SIGTERM, stop)
while running:
    time.sleep(0.2)
    sample()
sample()
print(sum(last[pid] - first[pid] for pid in last), flush=True)
psql.stdin.close()
