"""Writes a CSV of generated business records: business_records.py PATH ROWS (see scripts/bench-import)."""

import random
import sys

path, rows = sys.argv[1], int(sys.argv[2])
rng = random.Random(2026)
types = [("case_report", ["S01", "S02", "S03"]), ("household", ["S01", "S02", "S03", "HZ"]), ("id_card", ["HZ"]), ("vehicle", ["JJ"]),
         ("traffic", ["JJ"]), ("exit_entry", ["HZ"]), ("permit", ["ZA"])]
names = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄"]
with open(path, "w", encoding="utf-8", newline="") as out:
    out.write("record_id,business_type,unit,officer,name,phone,date,sensitive\n")
    for i in range(rows):
        kind, units = types[rng.randrange(len(types))]
        out.write("R%08d,%s,%s,%s警官,%s女士,13%d%08d,2026-%02d-%02d,%d\n" % (
            i, kind, units[rng.randrange(len(units))], names[i % 8], names[(i * 7) % 8], i % 10, rng.randrange(10**8),
            rng.randrange(1, 11), rng.randrange(1, 29), 1 if rng.random() < 0.03 else 0))
