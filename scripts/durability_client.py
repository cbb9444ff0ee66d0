"""Sends submissions from many threads until the server goes away; writes each acknowledged number to a log,
flushed and fsynced before the next request, so the log holds exactly what the server acknowledged."""
import http.client
import json
import os
import sys
import threading
import time

port, log_path, threads = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
lock = threading.Lock()
log = open(log_path, "a", encoding="utf-8")
deadline = time.time() + 60


def worker(index: int) -> None:
    failures = 0
    n = 0
    while time.time() < deadline and failures < 20:
        n += 1
        body = json.dumps({"kind": "help", "category": "noise", "text": f"耐久性测试 线程{index} 第{n}条：楼下噪音", "place": "S01-O1-C1"})
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("POST", "/api/v1/items", body=body.encode(), headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            data = response.read()
            conn.close()
        except OSError:
            failures += 1
            time.sleep(0.05)
            continue
        if response.status == 201:
            number = json.loads(data)["number"]
            with lock:
                log.write(number + "\n")
                log.flush()
                os.fsync(log.fileno())


workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
for w in workers:
    w.start()
for w in workers:
    w.join()
