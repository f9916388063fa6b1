#!/usr/bin/env python3
"""Another process writing a Cairn MBTiles cache, for the crash-safety tests.

Usage: batch_writer.py CACHE COLUMN. Writes batches of 16 z14 tiles in column COLUMN (rows
16*n .. 16*n+15, TMS) with fingerprint "py", one BEGIN IMMEDIATE transaction per batch, the way
MBTilesStore does (image first, then the map row); every other tile shares the image "py-blank".
After each COMMIT returns it prints the batch number, so whoever kills this process knows which
batches were committed. Runs until killed.
"""
import sqlite3
import sys

path, column = sys.argv[1], int(sys.argv[2])
db = sqlite3.connect(path, timeout=5.0, isolation_level=None)
db.execute("PRAGMA synchronous = NORMAL")
batch = 0
while True:
    db.execute("BEGIN IMMEDIATE")
    for i in range(16):
        row = batch * 16 + i
        if i % 2 == 0:
            tile_id, data = "py-blank", b"\x00" * 64
        else:
            tile_id, data = "py-%d-%d" % (column, row), bytes([column % 256, row % 256]) * 512
        db.execute("INSERT INTO images (tile_id, tile_data) VALUES (?, ?) ON CONFLICT (tile_id) DO NOTHING", (tile_id, data))
        db.execute("INSERT OR REPLACE INTO map (zoom_level, tile_column, tile_row, tile_id, fingerprint, stale, created_at) "
                   "VALUES (14, ?, ?, ?, 'py', 0, 0)", (column, row, tile_id))
    db.execute("COMMIT")
    print(batch, flush=True)
    batch += 1
