"""The ballot benchmark's client and generator (see scripts/bench-ballot). Loopback only."""
import http.client
import json
import os
import re
import secrets
import sqlite3
import statistics
import sys
import threading
import time
import urllib.parse


def connect(url):
    base = urllib.parse.urlparse(url)
    return http.client.HTTPConnection(base.hostname, base.port, timeout=600)


def request(connection, path, headers=None, body=None, method="GET"):
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, response.read()


def id_number(n):
    """A distinct, valid resident ID number (GB 11643) for voter n: born on one of 10,000 days, sequence n % 1000."""
    day = 719000 + n // 1000  # proleptic ordinal of a day in 1969–1996
    import datetime
    born = datetime.date.fromordinal(day)
    body = "330502" + born.strftime("%Y%m%d") + "%03d" % (n % 1000)
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


def phone(n):
    """A phone whose masked form (first three, last four) is distinct for n < 70,000."""
    prefix, last = divmod(n, 10000)
    return "13%d0000%04d" % (3 + prefix, last)


def masked(number):
    return number[:3] + "****" + number[-4:]


class CodeLog:
    """Follows the server's log, where the development sender writes each verification code."""

    def __init__(self, path):
        self.path = path
        self.codes = {}
        self.lock = threading.Condition()
        self.stopped = False
        self.thread = threading.Thread(target=self.follow, daemon=True)
        self.thread.start()

    def follow(self):
        pattern = re.compile(r"verification code for (\d{3}\*{4}\d{4}) \([^)]*\): (\d{6})")
        with open(self.path, encoding="utf-8", errors="replace") as log:
            while not self.stopped:
                line = log.readline()
                if not line:
                    time.sleep(0.002)
                    continue
                found = pattern.search(line)
                if found:
                    with self.lock:
                        self.codes[found.group(1)] = found.group(2)
                        self.lock.notify_all()

    def take(self, masked_phone, timeout=30):
        deadline = time.time() + timeout
        with self.lock:
            while masked_phone not in self.codes:
                left = deadline - time.time()
                if left <= 0:
                    return None
                self.lock.wait(left)
            return self.codes.pop(masked_phone)


def vote(url, log_path, seconds, connections):
    """Residents verify and vote on many connections at once: each ballot is two requests (the code to the phone, then
    the ballot), and the answer to the second comes after its commit (synchronous=FULL)."""
    setup = connect(url)
    status, data = request(setup, "/api/v1/ballots")
    open_ballots = [b for b in json.loads(data) if b["phase"] == "open"]
    assert open_ballots, "no open ballot in the demo"
    ballot = open_ballots[0]["id"]
    status, data = request(setup, "/api/v1/ballots/" + ballot)
    candidates = [c["id"] for c in json.loads(data)["candidates"]]
    codes = CodeLog(log_path)
    counts = [0] * connections
    errors = [0] * connections
    deadline = time.time() + seconds
    next_voter = [0]
    lock = threading.Lock()

    def work(index):
        connection = connect(url)
        headers = {"Content-Type": "application/json"}
        while time.time() < deadline:
            with lock:
                n = next_voter[0]
                next_voter[0] += 1
            number = phone(n)
            status, data = request(connection, "/api/v1/ballots/%s/verifications" % ballot, headers,
                                   json.dumps({"id_number": id_number(500000 + n), "phone": number}), "POST")
            if status != 201:
                errors[index] += 1
                continue
            token = json.loads(data)["token"]
            code = codes.take(masked(number))
            if code is None:
                errors[index] += 1
                continue
            chosen = [candidates[(n + k * 3) % len(candidates)] for k in range(1 + n % 10)]
            status, _ = request(connection, "/api/v1/ballots/%s/votes" % ballot, headers,
                                json.dumps({"token": token, "code": code, "choices": chosen}), "POST")
            if status == 201:
                if time.time() <= deadline:
                    counts[index] += 1
            else:
                errors[index] += 1

    threads = [threading.Thread(target=work, args=(i,)) for i in range(connections)]
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes.stopped = True
    # Only ballots answered within the window count (the last code may wait in the log's buffer).
    elapsed = seconds - (started - (deadline - seconds))
    print("  %d ballots in %.1f s on %d connections: %.0f ballots/s (each a verification and a vote; %d errors)"
          % (sum(counts), elapsed, connections, sum(counts) / elapsed, sum(errors)))


def generate(db_path, voters):
    """A closed ballot of 20 projects with `voters` ballots (choose up to 10), written as the store writes them."""
    db = sqlite3.connect(db_path)
    unit = db.execute("SELECT id FROM units WHERE kind = 'bureau'").fetchone()[0]
    now = int(time.time())
    db.execute("INSERT INTO ballot_campaigns (id, year, title, opens_at, closes_at, max_choices, created_by, created_at) "
               "VALUES ('BENCH', 2025, '压力测试票选', ?, ?, 10, 'bench', ?)", (now - 40 * 86400, now - 10 * 86400, now - 50 * 86400))
    candidates = []
    for number in range(1, 21):
        candidate = "bench-%02d" % number
        candidates.append(candidate)
        db.execute("INSERT INTO ballot_candidates (id, campaign_id, number, title, summary, unit_id, category, created_by, created_at) "
                   "VALUES (?, 'BENCH', ?, ?, '', ?, NULL, 'bench', ?)", (candidate, number, "项目 %d" % number, unit, now - 50 * 86400))
    for n in range(voters):
        db.execute("INSERT INTO ballot_roll (campaign_id, voter_key, channel) VALUES ('BENCH', ?, ?)",
                   (secrets.token_hex(32), "paper" if n % 5 == 0 else "web"))
        ballot = secrets.token_hex(16)
        db.execute("INSERT INTO ballots (id, campaign_id, receipt_hash, batch_id) VALUES (?, 'BENCH', ?, NULL)",
                   (ballot, secrets.token_hex(32)))
        for k in range(1 + n % 10):
            db.execute("INSERT OR IGNORE INTO ballot_choices (ballot_id, candidate_id) VALUES (?, ?)",
                       (ballot, candidates[(n * 7 + k * 3) % 20]))
    db.commit()
    db.close()


def timed(url, rounds):
    connection = connect(url)
    pages = [("results API, 45,000 voters", "/api/v1/ballots/BENCH/results"), ("results page", "/ballots/BENCH"),
             ("ballot list", "/ballots")]
    for name, path in pages:
        for _ in range(3):
            request(connection, path)
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            status, _ = request(connection, path)
            times.append((time.perf_counter() - started) * 1000)
            assert status == 200, (path, status)
        print("  %-30s median %7.1f ms  (max %.1f)" % (name, statistics.median(times), max(times)))


if __name__ == "__main__":
    if sys.argv[1] == "vote":
        vote(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    elif sys.argv[1] == "generate":
        generate(sys.argv[2], int(sys.argv[3]))
    else:
        timed(sys.argv[2], int(sys.argv[3]))
