"""Loads generated items into a Minyi SQLite file and times pages (see scripts/bench-scale).

    bench_scale.py generate DB FIRST LAST      add items FIRST..LAST (their own numbers), spread over the last 365 days;
                                               DB is a SQLite file or a postgres:// URL
    bench_scale.py time URL ROUNDS OUT.json    time the dashboard, the monthly analysis and the measures API
"""

import http.client
import json
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse

TEXTS = [
    "楼下烧烤店每天营业到凌晨两点，噪音很大，影响休息",
    "小区门口天天乱停车，消防通道被堵",
    "路口红绿灯坏了好几天，早晚高峰很危险",
    "办理户口迁移要跑好几趟，希望简化材料",
    "夜里有人在广场上打牌喝酒吵闹",
    "电动车在楼道里充电，担心起火",
    "小区监控坏了，晚上有人撬电动车",
    "学校门口放学时段车辆拥堵，希望增派警力",
    "邻居装修违规占用公共通道，协调不成",
    "民警上门办理身份证，服务很好，表示感谢",
    "接到冒充客服的诈骗电话，希望加强宣传",
    "菜市场周边流动摊贩占道经营",
    "村里路灯不亮，晚上回家不安全",
    "出入境证件办理预约不上，希望增加窗口",
    "反映报警后民警到场慢，态度生硬",
    "希望在社区设置反诈宣传栏",
]
KINDS = ["complaint", "help", "opinion", "tip_off", "praise"]


def items_sql(dialect, lo, hi, now):
    """One batch of generated items, lo..hi, in the dialect's SQL: each item's age (up to a year) and a number r in
    0..999 come from its serial; items older than 45 days are mostly closed, recent ones are spread over every state,
    and the facts follow the state. Open items have deadlines ahead of them, as the deadline service leaves them once
    it has handled a breach (a new round with new deadlines), and so have callbacks not yet made, so the server starts
    with nothing to scan (callbacks two days past due would give it a backlog of breaches to write, a quarter
    of the recent items, while the pages are timed)."""
    if dialect == "sqlite":
        series = f"WITH RECURSIVE seq(x) AS (SELECT {lo} UNION ALL SELECT x + 1 FROM seq WHERE x < {hi}),"
        padded, greatest = "printf('%08d', x)", "max"
    else:
        series = f"WITH seq(x) AS (SELECT generate_series({lo}::bigint, {hi}::bigint)),"
        padded, greatest = "lpad(x::text, 8, '0')", "GREATEST"
    return f"""
            {series}
            g AS (
                SELECT x, {now} - (x * 2654435761) % 31536000 AS created, (x * 40503) % 1000 AS r,
                    CASE WHEN (x * 2654435761) % 31536000 > 45 * 86400 THEN 1 ELSE 0 END AS old FROM seq),
            s AS (
                SELECT g.*, CASE
                    WHEN old = 1 THEN CASE WHEN r < 15 THEN 'merged' WHEN r < 25 THEN 'rejected' WHEN r < 960 THEN 'closed' ELSE 'supervised' END
                    ELSE CASE WHEN r < 100 THEN 'registered' WHEN r < 250 THEN 'dispatched' WHEN r < 450 THEN 'accepted' WHEN r < 700 THEN 'replied'
                              WHEN r < 750 THEN 'supervised' ELSE 'closed' END
                    END AS status FROM g)
            INSERT INTO items (id, number, kind, category, channel, text, place_id, place_path, emergency, status, assigned_unit_id, assigned_path,
                response_due, handling_due, round, accepted_at, first_replied_at, replied_at, answered_on_spot, reply_outcome, reply_text,
                callback_due, callback_attempts, callback_result, closed_at, breached, created_at, updated_at, version)
            SELECT 'gen-' || x, 'KFQ-G' || {padded}, k.kind, c.code, 'web', t.text || '（' || (x % 97 + 1) || '号楼）', p.id, p.path, 0, status,
                CASE WHEN status IN ('registered', 'merged', 'rejected') THEN NULL ELSE substr(p.station, 6, length(p.station) - 6) END,
                CASE WHEN status IN ('registered', 'merged', 'rejected') THEN NULL ELSE p.station END,
                CASE WHEN status IN ('registered', 'merged', 'rejected') THEN NULL
                     WHEN status = 'dispatched' THEN {greatest}(created + 7200, {now} + 3600 + r) ELSE created + 7200 END,
                CASE WHEN status IN ('registered', 'merged', 'rejected') THEN NULL
                     WHEN status IN ('dispatched', 'accepted', 'supervised') THEN {greatest}(created + 5 * 86400, {now} + (1 + r % 4) * 86400)
                     ELSE created + 5 * 86400 END,
                CASE WHEN status = 'supervised' OR (status IN ('dispatched', 'accepted') AND created + 5 * 86400 < {now}) THEN 1 ELSE 0 END,
                CASE WHEN status IN ('accepted', 'replied', 'supervised', 'closed') THEN created + (r * 37) % 10800 END,
                CASE WHEN status IN ('replied', 'supervised', 'closed') THEN created + 86400 END,
                CASE WHEN status IN ('replied', 'supervised', 'closed') THEN created + 86400 END,
                CASE WHEN status = 'closed' AND r % 23 = 0 THEN 1 ELSE 0 END,
                CASE WHEN status IN ('replied', 'supervised', 'closed') THEN CASE WHEN r % 11 = 0 THEN 'unsolvable' ELSE 'resolved' END END,
                CASE WHEN status IN ('replied', 'supervised', 'closed') THEN '已处理' END,
                CASE WHEN status = 'replied' THEN {greatest}(created + 2 * 86400, {now} + 3600 + r * 60)
                     WHEN status IN ('supervised', 'closed') THEN created + 2 * 86400 END,
                CASE WHEN status IN ('supervised', 'closed') THEN 1 ELSE 0 END,
                CASE WHEN status = 'supervised' THEN 'dissatisfied' WHEN status = 'closed' THEN
                    CASE WHEN r % 10 < 7 THEN 'satisfied' WHEN r % 10 < 9 THEN 'basically_satisfied' ELSE 'dissatisfied' END END,
                CASE WHEN status = 'closed' THEN created + 3 * 86400 END,
                CASE WHEN status IN ('dispatched', 'accepted') AND created + 5 * 86400 < {now} THEN 1
                     WHEN r % 17 = 0 AND status NOT IN ('registered', 'merged', 'rejected') THEN 1 ELSE 0 END,
                created, created, 1
            FROM s JOIN g_places p ON p.i = x % (SELECT COUNT(*) FROM g_places)
                JOIN g_categories c ON c.i = (x / 7) % (SELECT COUNT(*) FROM g_categories)
                JOIN g_texts t ON t.i = (x / 3) % (SELECT COUNT(*) FROM g_texts)
                JOIN g_kinds k ON k.i = (x / 5) % 5
        """


def generate(db_path, first, last):
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-4000000")
    places = db.execute(
        "SELECT c.id, c.path, s.path FROM units c JOIN units s ON c.path LIKE s.path || '%' AND s.kind = 'station' "
        "WHERE c.kind = 'community' ORDER BY c.id").fetchall()
    categories = [row[0] for row in db.execute("SELECT code FROM categories ORDER BY position, code")]
    db.execute("CREATE TEMP TABLE g_places (i INTEGER PRIMARY KEY, id TEXT, path TEXT, station TEXT)")
    db.executemany("INSERT INTO g_places VALUES (?, ?, ?, ?)", [(i, *p) for i, p in enumerate(places)])
    db.execute("CREATE TEMP TABLE g_categories (i INTEGER PRIMARY KEY, code TEXT)")
    db.executemany("INSERT INTO g_categories VALUES (?, ?)", list(enumerate(categories)))
    db.execute("CREATE TEMP TABLE g_texts (i INTEGER PRIMARY KEY, text TEXT)")
    db.executemany("INSERT INTO g_texts VALUES (?, ?)", list(enumerate(TEXTS)))
    db.execute("CREATE TEMP TABLE g_kinds (i INTEGER PRIMARY KEY, kind TEXT)")
    db.executemany("INSERT INTO g_kinds VALUES (?, ?)", list(enumerate(KINDS)))
    now = int(time.time())
    batch = 500_000
    started = time.time()
    for lo in range(first, last + 1, batch):
        hi = min(last, lo + batch - 1)
        db.execute("BEGIN")
        db.execute(items_sql("sqlite", lo, hi, now))
        db.execute("COMMIT")
        done = hi - first + 1
        rate = done / max(time.time() - started, 0.001)
        sys.stderr.write("\r  %d / %d items (%.0f rows/s)   " % (done, last - first + 1, rate))
    sys.stderr.write("\n")
    db.execute("PRAGMA journal_mode=WAL")
    db.close()


def generate_postgres(url, first, last):
    """The same items on PostgreSQL, through psql (no driver to install). The load is a generator's, not the server's:
    the foreign-key checks are skipped for its session (every reference is to a unit or category just read), the
    secondary indexes of items are dropped for the load and made again exactly as they were, and its commits need not
    wait for the disk."""
    def psql(sql):
        return subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", url], input=sql, text=True, check=True,
                              capture_output=True).stdout
    texts = ", ".join("(%d, '%s')" % (i, t.replace("'", "''")) for i, t in enumerate(TEXTS))
    kinds = ", ".join("(%d, '%s')" % (i, k) for i, k in enumerate(KINDS))
    indexes = [line for line in psql(
        "SELECT indexname || '|' || indexdef FROM pg_indexes i WHERE tablename = 'items' AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)").splitlines() if line]
    now = int(time.time())
    batch = 1_000_000
    started = time.time()
    setup = f"""
        SET synchronous_commit = off; SET session_replication_role = replica; SET maintenance_work_mem = '512MB';
        CREATE TEMP TABLE g_places AS SELECT row_number() OVER (ORDER BY c.id) - 1 AS i, c.id, c.path, s.path AS station
            FROM units c JOIN units s ON c.path LIKE s.path || '%' AND s.kind = 'station' WHERE c.kind = 'community';
        CREATE TEMP TABLE g_categories AS SELECT row_number() OVER (ORDER BY position, code) - 1 AS i, code FROM categories;
        CREATE TEMP TABLE g_texts (i, text) AS VALUES {texts};
        CREATE TEMP TABLE g_kinds (i, kind) AS VALUES {kinds};
    """
    psql("".join("DROP INDEX %s;" % line.split("|", 1)[0] for line in indexes))
    for lo in range(first, last + 1, batch):
        hi = min(last, lo + batch - 1)
        psql(setup + items_sql("postgres", lo, hi, now) + ";")
        done = hi - first + 1
        rate = done / max(time.time() - started, 0.001)
        sys.stderr.write("\r  %d / %d items (%.0f rows/s)   " % (done, last - first + 1, rate))
    sys.stderr.write("\n  making the indexes again\n")
    psql("SET maintenance_work_mem = '512MB';" + "".join(line.split("|", 1)[1] + ";" for line in indexes) + "ANALYZE items;")


def timed(url, rounds, out_path):
    base = urllib.parse.urlparse(url)
    connection = http.client.HTTPConnection(base.hostname, base.port, timeout=600)

    def request(path, headers=None, body=None, method="GET"):
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()

    def login(username):
        status, data = request("/api/v1/sessions", {"Content-Type": "application/json"},
                               json.dumps({"username": username, "password": "minyi2026"}), "POST")
        assert status == 201, data
        return json.loads(data)["token"]

    leader, lead, dispatcher = login("leader"), login("lead1"), login("dispatcher")
    year_ago = time.strftime("%Y-%m-%d", time.localtime(time.time() - 365 * 86400))
    # The last whole month in the bureau's time (UTC+8): in the first hours of a month the present one holds a few
    # hours of items, fewer than the cluster finder reads at most, so its time grows with the items up to that cap.
    beijing = time.gmtime(time.time() + 8 * 3600)
    last_month = "%04d-%02d" % ((beijing.tm_year, beijing.tm_mon - 1) if beijing.tm_mon > 1 else (beijing.tm_year - 1, 12))
    today = time.strftime("%Y-%m-%d")
    pages = [
        ("dashboard, bureau (12 months)", "/staff/dashboard", {"Cookie": "minyi_session=" + leader}),
        ("dashboard, station S01", "/staff/dashboard", {"Cookie": "minyi_session=" + lead}),
        ("monthly analysis, bureau", "/staff/analysis", {"Cookie": "minyi_session=" + leader}),
        ("monthly analysis, station S01", "/staff/analysis", {"Cookie": "minyi_session=" + lead}),
        ("monthly analysis, bureau, last month", "/staff/analysis?month=" + last_month, {"Cookie": "minyi_session=" + leader}),
        ("monthly analysis, S01, last month", "/staff/analysis?month=" + last_month, {"Cookie": "minyi_session=" + lead}),
        ("measures API, bureau, one year", "/api/v1/measures?from=%s&to=%s" % (year_ago, today), {"Authorization": "Bearer " + leader}),
        ("ledger, bureau (first page)", "/staff/ledger", {"Cookie": "minyi_session=" + leader}),
        ("ledger, bureau (page 50)", "/staff/ledger?page=50", {"Cookie": "minyi_session=" + leader}),
        ("ledger, station S01", "/staff/ledger", {"Cookie": "minyi_session=" + lead}),
        ("command centre queue (five tabs)", "/staff/queue", {"Cookie": "minyi_session=" + dispatcher}),
        ("unit inbox, station S01 (3 lists of 200)", "/staff/inbox", {"Cookie": "minyi_session=" + lead}),
        ("work queue API, bureau", "/api/v1/items", {"Authorization": "Bearer " + leader}),
        ("work queue API, closed items", "/api/v1/items?status=closed", {"Authorization": "Bearer " + leader}),
    ]
    results = {}
    for name, path, headers in pages:
        times = []
        for index in range(rounds + 2):
            started = time.perf_counter()
            status, data = request(path, headers)
            elapsed = (time.perf_counter() - started) * 1000
            assert status == 200, (path, status, data[:300])
            if index >= 2:
                times.append(elapsed)
        results[name] = statistics.median(times)
        print("  %-40s median %8.1f ms" % (name, results[name]))
    with open(out_path, "w") as out:
        json.dump(results, out)


if __name__ == "__main__":
    if sys.argv[1] == "generate" and sys.argv[2].startswith(("postgres://", "postgresql://")):
        generate_postgres(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif sys.argv[1] == "generate":
        generate(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        timed(sys.argv[2], int(sys.argv[3]), sys.argv[4])
