#!/usr/bin/env python3
"""Holds a Cairn cache's write lock for SECONDS, for the two-writers test.

Usage: hold_lock.py CACHE MARKER SECONDS. Takes the write lock (BEGIN IMMEDIATE), writes tile
z3/0/0 (TMS), creates MARKER so the test knows the lock is held, sleeps, then commits.
"""
import sqlite3
import sys
import time

path, marker, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
db = sqlite3.connect(path, timeout=5.0, isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT INTO images (tile_id, tile_data) VALUES ('py', x'01') ON CONFLICT (tile_id) DO NOTHING")
db.execute("INSERT OR REPLACE INTO map VALUES (3, 0, 0, 'py', 'f', 0, 0)")
with open(marker, "w") as f:
    f.write("locked")
time.sleep(seconds)
db.execute("COMMIT")
