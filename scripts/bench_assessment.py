"""The assessment benchmark's generator and timer (see scripts/bench-assessment). Loopback only."""
import calendar
import http.client
import json
import secrets
import sqlite3
import statistics
import sys
import time
import urllib.parse


def generate(db_path, responses):
    """A year-long campaign over the bureau with `responses` answers, written as the store writes them: the response
    rows (no resident in them) and the tallies per month, community, officer and indicator."""
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA synchronous = OFF")  # a generator, not the product: the server's own writes stay durable
    now = int(time.time())
    year = time.gmtime(now + 8 * 3600).tm_year
    start = calendar.timegm((year, 1, 1, 0, 0, 0)) - 8 * 3600  # midnight in Beijing
    communities = db.execute("SELECT id, path, parent_id FROM units WHERE kind = 'community'").fetchall()
    officers = dict(db.execute("SELECT unit_id, id FROM officers WHERE username LIKE 'community%'").fetchall())
    db.execute("INSERT INTO survey_campaigns (id, title, starts_at, ends_at, unit_id, target_per_unit, created_by, created_at) "
               "VALUES ('BENCH1M', '压力测试：百万答卷', ?, ?, 'KFQ', 1000, 'bench', ?)", (start, start + 366 * 86400, now))
    tallies = {}
    rows = []
    for n in range(responses):
        unit_id, path, office = communities[n % len(communities)]
        officer = officers.get(office, "")
        month = n % 12
        month_start = calendar.timegm((year, month + 1, 1, 0, 0, 0)) - 8 * 3600
        at = month_start + (n % 27) * 86400
        saw, knows = n % 4 != 0, n % 3 != 0
        attitude, safety = 3 + n % 3, 2 + n % 4
        satisfaction = "satisfied" if n % 10 < 7 else "basically_satisfied" if n % 10 < 9 else "dissatisfied"
        rows.append((secrets.token_hex(16), unit_id, path, officer or None, at, int(saw), int(knows), attitude, safety, satisfaction, now))
        for indicator, yes, value in (("visibility", saw, None), ("familiarity", knows, None), ("attitude", False, attitude),
                                      ("safety", False, safety), ("satisfaction", satisfaction != "dissatisfied", None)):
            key = (month_start, unit_id, path, officer, indicator)
            t = tallies.setdefault(key, [0, 0, 0.0, 0.0])
            t[0] += 1
            t[1] += 1 if yes else 0
            if value is not None:
                t[2] += value
                t[3] += value * value
        if len(rows) == 50000:
            insert(db, rows)
            rows = []
    insert(db, rows)
    db.executemany("INSERT INTO survey_tallies (campaign_id, month, unit_id, unit_path, officer_id, indicator, n, yes, total, squares) "
                   "VALUES ('BENCH1M', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   [(k[0], k[1], k[2], k[3], k[4], v[0], v[1], v[2], v[3]) for k, v in tallies.items()])
    db.commit()
    print("  %d responses, %d tally rows" % (db.execute("SELECT COUNT(*) FROM survey_responses").fetchone()[0],
                                             db.execute("SELECT COUNT(*) FROM survey_tallies").fetchone()[0]))
    db.close()


def insert(db, rows):
    db.executemany("INSERT INTO survey_responses (id, campaign_id, unit_id, unit_path, officer_id, channel, surveyor, at, saw_police, "
                   "knows_officer, attitude, safety, satisfaction, comment, import_key, recorded_by, recorded_at) "
                   "VALUES (?, 'BENCH1M', ?, ?, ?, 'third_party', '民调中心', ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?)", rows)


def timed(url, rounds):
    base = urllib.parse.urlparse(url)
    connection = http.client.HTTPConnection(base.hostname, base.port, timeout=600)
    connection.request("POST", "/api/v1/sessions", body=json.dumps({"username": "leader", "password": "minyi2026"}),
                       headers={"Content-Type": "application/json"})
    token = json.loads(connection.getresponse().read())["token"]
    pages = [("assessment page (bureau, computed)", "/staff/assessment"),
             ("assessment CSV (officers)", "/staff/assessment.csv?kind=officer"),
             ("survey scores page (the large campaign)", "/staff/opinion?campaign=BENCH1M"),
             ("survey scores API by officer", "/api/v1/surveys/BENCH1M/scores?by=officer")]
    for name, path in pages:
        headers = {"Cookie": "minyi_session=" + token, "Authorization": "Bearer " + token}
        times = []
        for round in range(rounds + 3):
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                print("  %-40s %d (no such campaign yet)" % (name, response.status))
                break
            if round >= 3:
                times.append((time.perf_counter() - started) * 1000)
        if times:
            print("  %-40s median %7.1f ms  (max %.1f)" % (name, statistics.median(times), max(times)))


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(sys.argv[2], int(sys.argv[3]))
    else:
        timed(sys.argv[2], int(sys.argv[3]))
