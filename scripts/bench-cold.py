#!/usr/bin/env python3
"""Cold tiles: how long one request for a tile nobody has rendered yet takes (scripts/bench's cold section).

Starts `cairn serve` (release) on the embedded demo's style with an empty cache, pinned to core 0 (`taskset -c 0`),
and requests 30 tiles of z14-16 one at a time from this process pinned to core 1, each in a different 8x8
metatile (a fixed list over Hai Phong, corners and middles of their metatiles). For each it also requests a
neighbour in the same metatile right after the answer: that one waits for the rest of the metatile, so the sum
is the time until the whole metatile is drawn, encoded and stored. Prints p50/p95 of both.

Usage: scripts/bench-cold.py CAIRN_BIN WORK_DIR   (the repository is found from this file's location)
"""
import http.client
import os
import socket
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# 10 tiles per zoom, each in its own 8x8 metatile, at varying places inside it ((3i mod 8, 5i mod 8)).
TILES = """
14/13024/7208 14/13043/7213 14/13062/7210 14/13033/7223 14/13052/7220 14/13031/7225 14/13042/7230 14/13061/7227
14/13032/7232 14/13051/7237 15/26072/14432 15/26091/14437 15/26110/14434 15/26081/14447 15/26100/14444
15/26079/14449 15/26090/14454 15/26109/14451 15/26080/14456 15/26099/14461 16/52160/28872 16/52179/28877
16/52206/28874 16/52169/28887 16/52196/28884 16/52167/28889 16/52178/28894 16/52205/28891 16/52168/28896
16/52195/28901
""".split()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(connection, path):
    start = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - start
    if response.status != 200 or not body.startswith(b"\x89PNG"):
        sys.exit("scripts/bench-cold.py: %s answered %d (%d bytes)" % (path, response.status, len(body)))
    return elapsed


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    binary, work = sys.argv[1], os.path.join(sys.argv[2], "cold")
    os.makedirs(os.path.join(work, "cache"), exist_ok=True)
    if os.listdir(os.path.join(work, "cache")):
        sys.exit("scripts/bench-cold.py: %s/cache is not empty" % work)
    os.sched_setaffinity(0, {1})
    port = free_port()
    config = os.path.join(work, "cold.yaml")
    with open(config, "w") as f:
        f.write("listen: {host: 127.0.0.1, port: %d}\n" % port)
        f.write("cache: {directory: %s}\n" % os.path.join(work, "cache"))
        f.write("limits:\n  per_ip: {requests_per_second: 0, burst: 0, renders_per_second: 0, render_burst: 0}\n")
        f.write("maps:\n  - name: hai-phong\n    style: %s\n    metatile: 8\n    minzoom: 0\n    maxzoom: 20\n"
                % os.path.join(REPO, "styles", "hai-phong.json"))
    log = open(os.path.join(work, "serve.log"), "w")
    server = subprocess.Popen(["taskset", "-c", "0", binary, "serve", "--config", config], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                connection.request("GET", "/health")
                connection.getresponse().read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    sys.exit("scripts/bench-cold.py: cairn serve did not start (see %s/serve.log)" % work)
                time.sleep(0.1)
        # The map is loaded by its first request: a z10 tile, in none of the measured metatiles.
        get(connection, "/maps/hai-phong/10/815/451.png")
        first, whole = [], []
        for tile in TILES:
            z, x, y = map(int, tile.split("/"))
            neighbour = "%d/%d/%d" % (z, x // 8 * 8 + (x % 8 + 1) % 8, y)
            t = get(connection, "/maps/hai-phong/%s.png" % tile)
            first.append(t)
            whole.append(t + get(connection, "/maps/hai-phong/%s.png" % neighbour))
        connection.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    ms = lambda v: "%.1f" % (1000 * v)
    print("| cold tiles, z14-16 of the demo (30, one at a time, server on core 0) | p50 ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|")
    print("| requested tile answered | %s | %s | %s |" % (ms(percentile(first, 0.5)), ms(percentile(first, 0.95)), ms(max(first))))
    print("| its whole 8x8 metatile drawn, encoded and stored | %s | %s | %s |" % (
        ms(percentile(whole, 0.5)), ms(percentile(whole, 0.95)), ms(max(whole))))
    print("Per zoom, requested tile p50 ms: " + ", ".join(
        "z%d %s" % (z, ms(statistics.median(first[i] for i in range(len(TILES)) if TILES[i].startswith("%d/" % z))))
        for z in (14, 15, 16)))


if __name__ == "__main__":
    main()
