"""Times Minyi's main pages one request at a time (see scripts/bench-pages)."""

import http.client
import json
import statistics
import sys
import time
import urllib.parse

base = urllib.parse.urlparse(sys.argv[1])
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 40
connection = http.client.HTTPConnection(base.hostname, base.port)


def request(method, path, body=None, headers=None):
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    return response.status, data


def login(username):
    status, data = request("POST", "/api/v1/sessions", json.dumps({"username": username, "password": "minyi2026"}),
                           {"Content-Type": "application/json"})
    assert status == 201, data
    return {"Cookie": "minyi_session=" + json.loads(data)["token"]}


def some_number(cookie):
    status, data = request("GET", "/api/v1/items?limit=1&status=accepted", headers={"Authorization": "Bearer " + cookie["Cookie"].split("=", 1)[1]})
    items = json.loads(data)["items"]
    return items[0]["number"] if items else None


dispatcher, lead, callback, inspector, leader, admin = (login(u) for u in ("dispatcher", "lead1", "callback", "inspector", "leader", "admin"))
number = some_number(leader)
pages = [
    ("resident", "首页 home", "/", {}),
    ("resident", "我要反映 submit form", "/submit", {}),
    ("resident", "查询 look-up form", "/lookup", {}),
    ("resident", "办理公开 results", "/results", {}),
    ("staff", "指挥中心 queue", "/staff/queue", dispatcher),
    ("staff", "事项 item page", "/staff/items/" + number, dispatcher),
    ("staff", "单位待办 inbox", "/staff/inbox", lead),
    ("staff", "回访 callbacks", "/staff/callbacks", callback),
    ("staff", "督办 supervision", "/staff/supervision?all=1", inspector),
    ("staff", "台账 ledger (100 rows)", "/staff/ledger", leader),
    ("staff", "统计 dashboard (bureau, 12 months)", "/staff/dashboard", leader),
    ("staff", "回音卡 echo cards", "/staff/echo-cards", admin),
    ("staff", "研判 monthly analysis (bureau)", "/staff/analysis", leader),
    ("staff", "通报 bulletin list", "/staff/bulletins", leader),
    ("staff", "业务回访 service callbacks", "/staff/business-callbacks", callback),
    ("staff", "台账 CSV export (all items)", "/staff/ledger.csv", leader),
]

print("| page | who | median ms | p95 ms | max ms | bytes |")
print("| --- | --- | --- | --- | --- | --- |")
for who, name, path, headers in pages:
    times = []
    size = 0
    for index in range(rounds + 3):
        started = time.perf_counter()
        status, data = request("GET", path, headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
        assert status == 200, (path, status, data[:300])
        size = len(data)
        if index >= 3:  # the first three warm caches
            times.append(elapsed)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print("| %s | %s | %.1f | %.1f | %.1f | %d |" % (name, who, statistics.median(times), p95, times[-1], size))
