"""Loads generated households and visits into a Minyi SQLite file and times the community pages (see scripts/bench-visits).

    bench_visits.py generate DB HOUSEHOLDS VISITS   grow the bureau to HOUSEHOLDS households in 305 communities and
                                                    VISITS visits over the last two years, with their counters
    bench_visits.py time URL ROUNDS OUT.json        time the bureau's coverage page and an officer's due list
    bench_visits.py record URL SECONDS CONNECTIONS  record visits for SECONDS on CONNECTIONS connections; print visits/s
"""

import http.client
import json
import sqlite3
import statistics
import sys
import threading
import time
import urllib.parse

COMMUNITIES = 305
BEIJING = 8 * 3600


def generate(db_path, households, visits):
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-4000000")
    now = int(time.time())
    db.execute("BEGIN")
    # Communities up to 305, spread over the demo's police offices (Shuyang: 305 communities).
    offices = db.execute("SELECT id, path FROM units WHERE kind = 'office' ORDER BY id").fetchall()
    have = db.execute("SELECT COUNT(*) FROM units WHERE kind = 'community'").fetchone()[0]
    for n in range(have, COMMUNITIES):
        office_id, office_path = offices[n % len(offices)]
        unit = "B-C%03d" % n
        db.execute("INSERT INTO units (id, name, kind, parent_id, path, population) VALUES (?, ?, 'community', ?, ?, 3000)",
                   (unit, "第%d社区" % n, office_id, office_path + unit + "/"))
    db.execute("DROP TABLE IF EXISTS g_places")
    db.execute("CREATE TEMP TABLE g_places (i INTEGER PRIMARY KEY, id TEXT, path TEXT, officer TEXT)")
    rows = db.execute("""
        SELECT c.id, c.path, (SELECT o.id FROM officers o WHERE o.unit_id = c.parent_id AND o.roles LIKE '%community_officer%' LIMIT 1)
        FROM units c WHERE c.kind = 'community' ORDER BY c.id""").fetchall()
    db.executemany("INSERT INTO g_places VALUES (?, ?, ?, ?)", [(i, *r) for i, r in enumerate(rows)])
    # Generated households are numbered gh-1 … gh-HOUSEHOLDS, beside the demo's own.
    first = db.execute("SELECT COALESCE(MAX(CAST(substr(id, 4) AS INTEGER)), 0) FROM households WHERE id LIKE 'gh-%'").fetchone()[0] + 1
    db.execute("COMMIT")
    started = time.time()
    batch = 200_000
    for lo in range(first, households + 1, batch):
        hi = min(households, lo + batch - 1)
        db.execute("BEGIN")
        db.execute(f"""
            WITH RECURSIVE seq(x) AS (SELECT {lo} UNION ALL SELECT x + 1 FROM seq WHERE x < {hi})
            INSERT INTO households (id, unit_id, unit_path, address, tags, members, officer_id, register_key, created_at, updated_at, version)
            SELECT 'gh-' || x, p.id, p.path, '第' || (x / 305 % 200 + 1) || '号楼' || (x % 60 + 1) || '室',
                CASE WHEN x % 20 = 0 THEN ',hardship,' WHEN x % 20 = 1 THEN ',lone_elderly,' ELSE '' END,
                '[{{"name":"住户' || x || '","phone":"139' || printf('%08d', x) || '","relation":"户主"}}]',
                p.officer, NULL, {now} - 800 * 86400, {now} - 800 * 86400, 1
            FROM seq JOIN g_places p ON p.i = x % {COMMUNITIES}
        """)
        db.execute("COMMIT")
        sys.stderr.write("\r  %d / %d households (%.0f rows/s)   " % (hi, households, (hi - first + 1) / max(time.time() - started, 0.001)))
    sys.stderr.write("\n")
    # Visits over the last two years: a household is visited about once every two households; night visits one in five.
    have_visits = db.execute("SELECT COALESCE(MAX(CAST(substr(id, 4) AS INTEGER)), 0) FROM visits WHERE id LIKE 'gv-%'").fetchone()[0]
    started = time.time()
    for lo in range(have_visits + 1, visits + 1, batch):
        hi = min(visits, lo + batch - 1)
        db.execute("BEGIN")
        db.execute(f"""
            WITH RECURSIVE seq(x) AS (SELECT {lo} UNION ALL SELECT x + 1 FROM seq WHERE x < {hi})
            INSERT INTO visits (id, household_id, officer_id, unit_id, unit_path, at, night, outcome, created_at)
            SELECT 'gv-' || x, h.id, COALESCE(h.officer_id, 'demo-community1'), h.unit_id, h.unit_path,
                {now} - 3600 - (x * 2654435761) % (730 * 86400), CASE WHEN x % 5 = 0 THEN 1 ELSE 0 END,
                CASE WHEN x % 13 = 0 THEN 'not_home' ELSE 'met' END, {now}
            FROM seq JOIN households h ON h.id = 'gh-' || (1 + (x * 7919) % {households})
        """)
        db.execute("COMMIT")
        sys.stderr.write("\r  %d / %d visits (%.0f rows/s)   " % (hi, visits, (hi - have_visits) / max(time.time() - started, 0.001)))
    sys.stderr.write("\n")
    recount(db)
    db.execute("PRAGMA journal_mode=WAL")
    db.close()


def recount(db):
    """The counters as the server keeps them, recounted from the rows (households per community; visits per month and
    year, per community and per officer; last visit per household)."""
    started = time.time()
    db.execute("BEGIN")
    db.execute("DELETE FROM household_counts")
    db.execute("INSERT INTO household_counts (unit_id, unit_path, households) "
               "SELECT unit_id, MIN(unit_path), COUNT(*) FROM households GROUP BY unit_id")
    db.execute("UPDATE households SET last_visit_at = (SELECT MAX(at) FROM visits v WHERE v.household_id = households.id AND v.outcome = 'met')")
    db.execute("DELETE FROM visit_tallies")
    month = f"CAST(strftime('%s', datetime(at + {BEIJING}, 'unixepoch', 'start of month')) AS INTEGER) - {BEIJING}"
    year = f"CAST(strftime('%s', datetime(at + {BEIJING}, 'unixepoch', 'start of year')) AS INTEGER) - {BEIJING}"
    for grain, period in (("month", month), ("year", year)):
        for who, key in (("''", "unit_id"), ("officer_id", "unit_id, officer_id")):
            db.execute(f"""
                INSERT INTO visit_tallies (grain, period, unit_id, officer_id, households_visited, visits, met, night)
                SELECT '{grain}', p, unit_id, {who}, COUNT(DISTINCT CASE WHEN outcome = 'met' THEN household_id END), COUNT(*),
                    SUM(CASE WHEN outcome = 'met' THEN 1 ELSE 0 END), SUM(CASE WHEN outcome = 'met' AND night = 1 THEN 1 ELSE 0 END)
                FROM (SELECT {period} AS p, * FROM visits) GROUP BY p, {key}
            """)
    db.execute("DELETE FROM due_visits")  # the server's scan makes this month's again
    db.execute("COMMIT")
    sys.stderr.write("  counters recounted in %.1f s\n" % (time.time() - started))


def connect(url):
    base = urllib.parse.urlparse(url)
    return http.client.HTTPConnection(base.hostname, base.port, timeout=600)


def request(connection, path, headers=None, body=None, method="GET"):
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, response.read()


def login(connection, username):
    status, data = request(connection, "/api/v1/sessions", {"Content-Type": "application/json"},
                           json.dumps({"username": username, "password": "minyi2026"}), "POST")
    assert status == 201, data
    return json.loads(data)["token"]


def timed(url, rounds, out_path):
    connection = connect(url)
    leader, officer = login(connection, "leader"), login(connection, "community1")
    pages = [
        ("coverage page, bureau (month)", "/staff/coverage", {"Cookie": "minyi_session=" + leader}),
        ("coverage page, bureau (year)", "/staff/coverage?grain=year", {"Cookie": "minyi_session=" + leader}),
        ("coverage API, bureau", "/api/v1/coverage", {"Authorization": "Bearer " + leader}),
        ("due list page, an officer", "/staff/visits", {"Cookie": "minyi_session=" + officer}),
        ("due list API, an officer", "/api/v1/visits/due", {"Authorization": "Bearer " + officer}),
        ("households not visited this year", "/staff/households?unvisited=1", {"Cookie": "minyi_session=" + officer}),
    ]
    results = {}
    for name, path, headers in pages:
        times = []
        for index in range(rounds + 2):
            started = time.perf_counter()
            status, data = request(connection, path, headers)
            elapsed = (time.perf_counter() - started) * 1000
            assert status == 200, (path, status, data[:300])
            if index >= 2:
                times.append(elapsed)
        results[name] = statistics.median(times)
        print("  %-34s median %8.1f ms" % (name, results[name]))
    with open(out_path, "w") as out:
        json.dump(results, out)


def record(url, seconds, connections):
    """Officers record visits (met, with a diary note) on many connections at once; each answer comes after the commit."""
    setup = connect(url)
    token = login(setup, "community1")
    status, data = request(setup, "/api/v1/households?limit=500", {"Authorization": "Bearer " + token})
    households = [h["id"] for h in json.loads(data)]
    assert households, "no households"
    counts = [0] * connections
    errors = [0] * connections
    deadline = time.time() + seconds

    def work(index):
        connection = connect(url)
        headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
        n = 0
        while time.time() < deadline:
            household = households[(index * 7 + n) % len(households)]
            headers["Idempotency-Key"] = "bench-%d-%d-%f" % (index, n, time.time())
            status, _ = request(connection, "/api/v1/households/%s/visits" % household, headers,
                                json.dumps({"outcome": "met", "diary": "走访压力测试"}), "POST")
            if status == 201:
                counts[index] += 1
            else:
                errors[index] += 1
            n += 1

    threads = [threading.Thread(target=work, args=(i,)) for i in range(connections)]
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.time() - started
    print("  recorded %d visits in %.1f s on %d connections: %.0f visits/s (%d errors)"
          % (sum(counts), elapsed, connections, sum(counts) / elapsed, sum(errors)))


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif sys.argv[1] == "time":
        timed(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        record(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
