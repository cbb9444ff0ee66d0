"""Operating Minyi as a bureau would, with real processes on loopback (run by scripts/ops-test):

- JSON logs: with MINYI_LOG_FORMAT=json every line the server writes to standard output (a file here, not a terminal)
  is one JSON object, the start banner included;
- /metrics parsed by PyPI prometheus-client's own text parser; the route labels are patterns, few and bounded;
- two `minyi serve` instances on one PostgreSQL database: submissions spread over both stored once each, an
  idempotency key honoured across instances, each periodic service's period claimed once, and a kill -9 of one
  instance under load loses no acknowledged submission;
- a crash of PostgreSQL empties the unlogged phone table, and a running instance fills it again.
"""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

BIN = os.environ["MINYI_BIN"]
PG_URL = os.environ.get("MINYI_TEST_POSTGRES_URL", "")
PORTS = iter(range(18900, 18999))


def request(method, url, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    for key, value in (headers or {}).items():
        req.add_header(key, value)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


# Every test's folder (databases, logs, keys) lies under one root, removed when the module's tests are done.
WORK_ROOT = tempfile.mkdtemp(prefix="minyi-ops-")


def tearDownModule():
    shutil.rmtree(WORK_ROOT, ignore_errors=True)

class Server:
    """A `minyi serve` process on 127.0.0.1, its standard output in a file."""

    def __init__(self, args, env=None, work=None):
        self.port = next(PORTS)
        self.work = work or tempfile.mkdtemp(dir=WORK_ROOT)
        self.log_path = os.path.join(self.work, "server-%d.log" % self.port)
        environment = dict(os.environ, MINYI_BCRYPT_COST="6", **(env or {}))
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen([BIN, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--rate-limit", "0"] + args,
                                        stdout=self.log, stderr=subprocess.STDOUT, env=environment)
        self.base = "http://127.0.0.1:%d" % self.port
        for _ in range(600):
            if self.process.poll() is not None:
                raise RuntimeError("server exited: " + open(self.log_path, errors="replace").read()[-2000:])
            try:
                if request("GET", self.base + "/health")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("server did not start")

    def stop(self, sig=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def output(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as log:
            return log.read()


def submission(text, place="S01-O1-C1"):
    return {"kind": "complaint", "category": "noise", "text": text, "place": place}


def psql(sql, url=None):
    """The rows of a query, each a list of its columns."""
    out = subprocess.run(["psql", (url or PG_URL).split("?")[0], "-AtF", "\t", "-c", sql], check=True, capture_output=True,
                         text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


class OpsTests(unittest.TestCase):
    def test_json_logs_one_object_a_line_and_metrics_read_by_prometheus_client(self):
        from prometheus_client.parser import text_string_to_metric_families
        work = tempfile.mkdtemp(dir=WORK_ROOT)
        server = Server(["--sqlite", os.path.join(work, "m.sqlite"), "--demo", "--demo-items", "40"],
                        env={"MINYI_LOG_FORMAT": "json"}, work=work)
        try:
            numbers = []
            for n in range(10):
                status, _, body = request("POST", server.base + "/api/v1/items", submission("指标测试 %d：楼下很吵" % n))
                self.assertEqual(status, 201)
                numbers.append(json.loads(body)["number"])
            for number in numbers:
                request("GET", server.base + "/api/v1/items/%s?pin=000000" % number)
            status, headers, body = request("GET", server.base + "/metrics")
            self.assertEqual(status, 200)
            families = {family.name: family for family in text_string_to_metric_families(body.decode())}
            for name in ("minyi_http_requests", "minyi_http_request_duration_seconds", "minyi_commit_batch_size",
                         "minyi_commit_duration_seconds", "minyi_items_open", "minyi_periodic_last_run_timestamp_seconds",
                         "minyi_db_reads_in_flight"):
                self.assertIn(name, families, sorted(families))
            routes = {sample.labels["route"] for sample in families["minyi_http_requests"].samples if "route" in sample.labels}
            self.assertIn("/api/v1/items/{number}", routes)
            self.assertFalse([route for route in routes if "KFQ-" in route], routes)
            self.assertLess(len(routes), 40)
            stations = {sample.labels["station"] for sample in families["minyi_items_open"].samples}
            # A station's (or the bureau's) ID, never a community's: a handful of labels.
            self.assertTrue(stations and len(stations) < 10 and not [s for s in stations if "-" in s], stations)
            # Forwarded by a proxy: refused.
            self.assertEqual(request("GET", server.base + "/metrics", headers={"X-Forwarded-For": "203.0.113.7"})[0], 403)
            self.assertEqual(request("GET", server.base + "/health/ready")[0], 200)
        finally:
            server.stop()
        lines = [line for line in server.output().splitlines() if line.strip()]
        self.assertTrue(lines)
        objects = [json.loads(line) for line in lines]  # every line is one JSON object
        self.assertTrue(all({"time", "level", "message"} <= set(o) for o in objects))
        self.assertTrue(any("Demo logins" in o["message"] or "演示" in o["message"] for o in objects), lines[:5])

    @unittest.skipUnless(PG_URL, "needs MINYI_TEST_POSTGRES_URL")
    def test_two_instances_share_one_postgresql_database(self):
        work = tempfile.mkdtemp(dir=WORK_ROOT)
        env = {"MINYI_DATABASE_URL": PG_URL, "MINYI_KEY_FILE": os.path.join(work, "keys"), "MINYI_DEADLINE_SCAN_SECONDS": "2"}
        subprocess.run([BIN, "demo", "--items", "0"], check=True, capture_output=True, env=dict(os.environ, MINYI_BCRYPT_COST="6", **env))
        before = int(psql("select count(*) from items")[0][0])
        started = time.time()
        a = Server([], env=env, work=work)
        b = Server([], env=env, work=work)
        try:
            # Load spread over both: every 201 stored once, numbers distinct.
            results = []
            lock = threading.Lock()

            def post(server, n):
                status, headers, body = request("POST", server.base + "/api/v1/items", submission("双实例 %d：路灯坏了" % n))
                with lock:
                    results.append((status, json.loads(body).get("number")))

            threads = [threading.Thread(target=post, args=(a if n % 2 else b, n)) for n in range(200)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            self.assertEqual([s for s, _ in results if s != 201], [])
            numbers = [number for _, number in results]
            self.assertEqual(len(set(numbers)), 200)
            self.assertEqual(int(psql("select count(*) from items")[0][0]), before + 200)
            # An idempotency key honoured across instances.
            key = {"Idempotency-Key": "ops-test-%d" % time.time_ns()}
            first = request("POST", a.base + "/api/v1/items", submission("同一次提交"), key)
            again = request("POST", b.base + "/api/v1/items", submission("同一次提交"), key)
            self.assertEqual(first[0], 201)
            self.assertEqual(again[0], 201)
            self.assertEqual(json.loads(first[2])["number"], json.loads(again[2])["number"])
            self.assertEqual(again[1].get("Idempotent-Replayed"), "true")
            # Periodic work: each service's period claimed by one instance. With both running for a while, the deadline
            # scan (every 2 s) has been claimed about once per period, never once per instance.
            time.sleep(7)
            elapsed = time.time() - started
            rows = {service: runs for service, runs in psql("select service, runs from periodic_runs order by service")}
            self.assertIn("Deadline scan", rows)
            self.assertLessEqual(int(rows["Deadline scan"]), elapsed / 2 + 2, rows)
            instances = {row[0] for row in psql("select instance from periodic_runs")}
            self.assertTrue(instances, rows)
            # The hourly bulletin check and the ten-minute pruning: both instances started within their one period, and
            # each ran once, not once per instance.
            self.assertEqual(rows.get("Weekly bulletin"), "1", rows)
            self.assertEqual(rows.get("Prune failed guesses"), "1", rows)

            # kill -9 one instance under load: every acknowledged submission is on disk.
            acknowledged = []
            stop = threading.Event()

            def load(server, worker):
                n = 0
                while not stop.is_set():
                    n += 1
                    try:
                        status, _, body = request("POST", server.base + "/api/v1/items", submission("断电测试 %d-%d" % (worker, n)))
                    except OSError:
                        continue
                    if status == 201:
                        with lock:
                            acknowledged.append(json.loads(body)["number"])

            workers = [threading.Thread(target=load, args=(a if w % 2 else b, w)) for w in range(16)]
            for worker in workers:
                worker.start()
            time.sleep(2)
            a.process.send_signal(signal.SIGKILL)
            a.process.wait()
            time.sleep(1)
            stop.set()
            for worker in workers:
                worker.join()
            stored = {row[0] for row in psql("select number from items")}
            lost = [number for number in acknowledged if number not in stored]
            self.assertTrue(len(acknowledged) > 50, len(acknowledged))
            self.assertEqual(lost, [])
            # The survivor still answers.
            self.assertEqual(request("POST", b.base + "/api/v1/items", submission("幸存实例"))[0], 201)
        finally:
            a.stop()
            b.stop()

    @unittest.skipUnless(PG_URL, "needs MINYI_TEST_POSTGRES_URL")
    def test_a_postgresql_crash_empties_the_phone_table_and_a_running_instance_fills_it_again(self):
        # A database of its own on the same server; the crash is real: a server process killed with SIGKILL makes
        # PostgreSQL restart every process and recover, and recovery empties unlogged tables.
        name = "minyi_crash_%d" % os.getpid()
        psql("create database " + name)
        url = PG_URL.replace("/" + PG_URL.split("/")[-1].split("?")[0], "/" + name, 1)
        work = tempfile.mkdtemp(dir=WORK_ROOT)
        env = {"MINYI_DATABASE_URL": url, "MINYI_KEY_FILE": os.path.join(work, "keys"), "MINYI_DEADLINE_SCAN_SECONDS": "1"}
        subprocess.run([BIN, "demo", "--items", "30"], check=True, capture_output=True, env=dict(os.environ, MINYI_BCRYPT_COST="6", **env))
        server = Server([], env=env, work=work)
        try:
            body = dict(submission("崩溃测试：楼下很吵"), contact={"phone": "13912345678"})
            self.assertEqual(request("POST", server.base + "/api/v1/items", body)[0], 201)
            phones = "select count(*) from items where contact_phone is not null"
            self.assertGreater(int(psql(phones, url)[0][0]), 1)
            self.assertEqual(psql("select count(*) from item_phones", url), psql(phones, url))
            self.assertEqual(psql("select count(*) from item_phones_complete", url), [["1"]])

            sleeper = subprocess.Popen(["psql", url.split("?")[0], "-Atc", "select pg_sleep(60)"], stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
            pid = None
            for _ in range(100):
                rows = psql("select pid from pg_stat_activity where query = 'select pg_sleep(60)'", url)
                if rows:
                    pid = int(rows[0][0])
                    break
                time.sleep(0.1)
            self.assertIsNotNone(pid)
            os.kill(pid, signal.SIGKILL)
            sleeper.wait()
            # The server recovers with the phone table and its marker emptied; the instance's check, every second, finds
            # the marker missing and fills the table again (its log says so), with every item's phone.
            for _ in range(300):
                try:
                    if psql("select count(*) from item_phones_complete", url) == [["1"]]:
                        break
                except subprocess.CalledProcessError:
                    pass  # still recovering
                time.sleep(0.1)
            self.assertEqual(psql("select count(*) from item_phones_complete", url), [["1"]])
            self.assertEqual(psql("select count(*) from item_phones", url), psql(phones, url))
            self.assertIn("Phone table filled again", server.output())
            # Submissions go on after the crash, their phones indexed by their own statement.
            for _ in range(50):
                if request("POST", server.base + "/api/v1/items", body)[0] == 201:
                    break
                time.sleep(0.1)
            self.assertEqual(psql("select count(*) from item_phones where phone = '13912345678'", url), [["2"]])
        finally:
            server.stop()
            psql("drop database if exists %s with (force)" % name)


if __name__ == "__main__":
    import sys
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print("ops: %d passed, %d failed, %d skipped" % (result.testsRun - failed - len(result.skipped), failed, len(result.skipped)))
    sys.exit(1 if failed else 0)
