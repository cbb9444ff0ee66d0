"""Browser tests: residents and staff walk Minyi's whole loop in a real headless Chromium.

Run by scripts/browser-test, which starts the server on 127.0.0.1 with the demo bureau and sets MINYI_BASE_URL.
Screenshots of the main pages go to MINYI_ARTIFACTS (resident pages at phone width, staff pages at desk width).
"""

import base64
import csv
import datetime
import io
import json
import os
import re
import sys
import time
import unittest
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ.get("MINYI_BASE_URL", "http://127.0.0.1:18481")
ARTIFACTS = os.environ.get("MINYI_ARTIFACTS", "artifacts/screenshots")
SERVER_LOG = os.environ.get("MINYI_SERVER_LOG", "")
PASSWORD = "minyi2026"
PHONE = (360, 800)
DESK = (1366, 900)


def browser(size, javascript=True):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=%d,%d" % size, "--lang=zh-CN"):
        options.add_argument(argument)
    if not javascript:
        # The page's own scripts never run (the test's WebDriver calls still do).
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    elif size == PHONE:
        # A phone: 360 CSS pixels wide, as a cheap Android phone.
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": size[0], "height": size[1], "pixelRatio": 2}})
    driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    driver.set_page_load_timeout(30)
    if size == PHONE and not javascript:
        # The phone's viewport through DevTools: mobileEmulation with JavaScript off can hang clicks.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": size[0], "height": size[1], "deviceScaleFactor": 2, "mobile": True})
    return driver


def api(method, path, body=None, token=None):
    """Sets up data through the JSON API (the steps under test go through the browser)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(BASE + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or b"{}")


def api_login(username):
    return api("POST", "/api/v1/sessions", {"username": username, "password": PASSWORD})["token"]


def submit_by_api(place, text, category="noise", phone="13912345678"):
    return api("POST", "/api/v1/items", {"kind": "complaint", "category": category, "text": text, "place": place,
                                          "contact": {"name": "测试居民", "phone": phone}})


class Page:
    """A person at a browser."""

    def __init__(self, size, javascript=True):
        self.driver = browser(size, javascript)
        self.phone = size == PHONE

    def close(self):
        self.driver.quit()

    def go(self, path):
        self.driver.get(BASE + path)

    def el(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def els(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def click(self, css):
        """Clicks something that loads a new page, and waits until the new page is there."""
        self.driver.execute_script("window.__oldPage = true")
        self.el(css).click()
        WebDriverWait(self.driver, 20).until(
            lambda d: d.execute_script("return !window.__oldPage && document.readyState === 'complete'"))

    def text(self):
        return self.el("body").text

    def type(self, css, value):
        field = self.el(css)
        field.clear()
        field.send_keys(value)

    def choose(self, css, value):
        Select(self.el(css)).select_by_value(value)

    def shot(self, name):
        os.makedirs(ARTIFACTS, exist_ok=True)
        # A full-page picture: grow the window to the page's height first.
        height = self.driver.execute_script("return Math.max(document.documentElement.scrollHeight, 600)")
        width = self.driver.execute_script("return window.innerWidth")
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": min(height, 8000), "deviceScaleFactor": 1, "mobile": width < 600})
        self.driver.save_screenshot(os.path.join(ARTIFACTS, name + ".png"))
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        if self.phone:
            self.driver.execute_cdp_cmd(
                "Emulation.setDeviceMetricsOverride",
                {"width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 2, "mobile": True})

    def pdf(self, name):
        """Prints the page as Chromium prints it (its CSS page size, backgrounds on), keeps the PDF and a picture of
        each page, and returns the pictures and the pages' sizes in points."""
        import pypdfium2
        os.makedirs(ARTIFACTS, exist_ok=True)
        result = self.driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True})
        data = base64.b64decode(result["data"])
        with open(os.path.join(ARTIFACTS, name + ".pdf"), "wb") as file:
            file.write(data)
        document = pypdfium2.PdfDocument(data)
        pictures = [page.render(scale=200 / 72).to_pil() for page in document]
        sizes = [(round(page.get_width()), round(page.get_height())) for page in document]
        for index, picture in enumerate(pictures[:2]):
            picture.save(os.path.join(ARTIFACTS, "%s-page%d.png" % (name, index + 1)))
        return pictures, sizes

    def login(self, username):
        self.go("/staff/login")
        self.type("#f-username", username)
        self.type("#f-password", PASSWORD)
        self.click("form button[type=submit]")
        assert "/staff/login" not in self.driver.current_url, self.text()

    def logout(self):
        self.click("header form[action='/staff/logout'] button")

    def act(self, command, fields=None, selects=None):
        """Fills and submits the action form of an item page."""
        form = "#action-" + command
        for css, value in (selects or {}).items():
            Select(self.el(form + " " + css)).select_by_value(value)
        for css, value in (fields or {}).items():
            element = self.el(form + " " + css)
            element.clear()
            element.send_keys(value)
        self.click(form + " button[type=submit]")


class WebTests(unittest.TestCase):
    def setUp(self):
        self.pages = []

    def tearDown(self):
        for index, page in enumerate(self.pages):
            try:
                page.shot("last-%s-%d" % (self._testMethodName, index))
            finally:
                page.close()

    def person(self, size, javascript=True):
        page = Page(size, javascript)
        self.pages.append(page)
        return page

    def resident_submits(self, resident, text, place="S01-O1-C1", topic="noise", phone="13800138000"):
        resident.go("/submit")
        resident.choose("#f-kind", "complaint")
        resident.choose("#f-topic", topic)
        resident.choose("#f-place", place)
        resident.type("#f-text", text)
        resident.type("#f-name", "陈女士")
        resident.type("#f-phone", phone)
        resident.click("form.card button[type=submit]")
        # Post, redirect, get: the receipt has its own address, so Back and Reload never send the form again.
        self.assertTrue(resident.driver.current_url.endswith("/submitted"), resident.driver.current_url)
        number = resident.el("#tracking-number").text
        pin = resident.el("#tracking-pin").text
        # Back returns to the form itself (the browser does not offer to send it again); Forward to the receipt.
        resident.driver.back()
        self.assertTrue(resident.driver.current_url.endswith("/submit"), resident.driver.current_url)
        self.assertTrue(resident.els("#f-text"))
        resident.driver.forward()
        self.assertEqual(resident.el("#tracking-pin").text, pin)
        self.assertRegex(number, r"^KFQ-\d{4}-\d{6}$")
        self.assertRegex(pin, r"^\d{6}$")
        return number, pin

    def test_whole_loop(self):
        resident = self.person(PHONE)
        resident.go("/")
        self.assertIn("110", resident.text())
        self.assertTrue(resident.els(".emergency a[href='tel:110']"), "110 is one touch away on a phone")
        self.assertIn("警务室", resident.text())
        resident.shot("resident-home")
        resident.go("/submit")
        resident.shot("resident-submit")
        number, pin = self.resident_submits(resident, "楼下烧烤店每天营业到凌晨两点，油烟和噪音很大，希望处理")
        self.assertIn("请记下", resident.text())
        resident.shot("resident-confirmation")

        staff = self.person(DESK)
        staff.login("dispatcher")
        staff.go("/staff/queue")
        self.assertIn(number, staff.text())
        staff.shot("staff-queue")
        staff.go("/staff/items/" + number)
        # The catalogue proposes the station for noise in its area.
        self.assertEqual(Select(staff.el("#action-dispatch select[name=unit]")).first_selected_option.get_attribute("value"), "S01")
        self.assertIn("138****8000", staff.text())
        self.assertNotIn("13800138000", staff.text())
        staff.shot("staff-item-dispatch")
        staff.act("dispatch")
        self.assertIn("已派发", staff.el("#item-status").text)
        staff.logout()

        staff.login("handler1")
        staff.go("/staff/inbox")
        self.assertIn(number, staff.text())
        staff.shot("staff-inbox")
        staff.go("/staff/items/" + number)
        staff.act("accept")
        self.assertIn("已签收", staff.el("#item-status").text)
        self.assertEqual(Select(staff.el("#action-reply select[name=outcome]")).first_selected_option.get_attribute("value"), "")
        # A refused reply comes back as typed, the missing public reason named beside its field.
        staff.act("reply", fields={"textarea[name=text]": "需要协调物业\n下周处理"}, selects={"select[name=outcome]": "unsolvable"})
        self.assertIn("公开原因", staff.el("#f-reply-public_reason-error").text)
        self.assertEqual(staff.el("#f-reply-text").get_attribute("value"), "需要协调物业\n下周处理")
        self.assertEqual(Select(staff.el("#action-reply select[name=outcome]")).first_selected_option.get_attribute("value"), "unsolvable")
        staff.shot("staff-reply-error")
        staff.act("reply", fields={"textarea[name=text]": "已约谈店主，承诺晚上十点后停止室外经营"}, selects={"select[name=outcome]": "resolved"})
        self.assertIn("已答复", staff.el("#item-status").text)
        staff.logout()

        staff.login("callback")
        staff.go("/staff/callbacks")
        self.assertIn(number, staff.text())
        # The list says when each callback falls due, when the reply went out and how many calls were tried.
        heads = staff.el("table.callbacks thead").text
        for head in ("答复时间", "应回访", "已拨打"):
            self.assertIn(head, heads)
        staff.shot("staff-callbacks")
        staff.go("/staff/callbacks/" + number)
        # The phone is shown in full here, and only here.
        self.assertEqual(staff.el("#contact-phone").text, "13800138000")
        staff.shot("staff-callback-item")
        # Nothing is chosen in advance: a click-through must not count as satisfied.
        self.assertEqual(Select(staff.el("select[name=result]")).first_selected_option.get_attribute("value"), "")
        staff.act("callback", selects={"select[name=result]": "satisfied", "select[name='score.attitude']": "5", "select[name='score.safety']": "4"})
        self.assertIn(number, staff.text())  # back on the queue with a notice
        staff.logout()

        resident.go("/lookup")
        resident.type("#f-number", number.lower())
        resident.type("#f-pin", pin)
        resident.click("form.card button[type=submit]")
        self.assertTrue(resident.els("#item-status"), resident.driver.current_url + resident.driver.page_source[:4000])
        self.assertIn("已销号", resident.el("#item-status").text)
        page = resident.text()
        self.assertIn("已约谈店主", page)
        self.assertIn("满意", page)
        self.assertNotIn("handler1", page)  # units, never staff names
        resident.shot("resident-lookup-closed")

    def test_field_error_keeps_text(self):
        resident = self.person(PHONE)
        resident.go("/submit")
        resident.choose("#f-kind", "opinion")
        resident.choose("#f-place", "S01-O1-C1")
        typed = "希望在小区门口增设一个夜间警务巡逻点"
        resident.type("#f-text", typed)
        resident.type("#f-phone", "12345")
        resident.click("form.card button[type=submit]")
        # Both faults at once, each beside its field, in Chinese only; everything typed is kept.
        self.assertIn("请选择是关于什么的", resident.el("#f-topic-error").text)
        self.assertIn("手机号码", resident.el("#f-phone-error").text)
        self.assertNotIn("choose", resident.text())
        self.assertEqual(resident.el("#f-text").get_attribute("value"), typed)
        self.assertEqual(resident.el("#f-phone").get_attribute("value"), "12345")
        self.assertEqual(Select(resident.el("#f-place")).first_selected_option.get_attribute("value"), "S01-O1-C1")
        resident.shot("resident-submit-error")
        resident.choose("#f-topic", "patrol")
        resident.type("#f-phone", "13700001111")
        resident.click("form.card button[type=submit]")
        self.assertRegex(resident.el("#tracking-number").text, r"^KFQ-")
        number = resident.el("#tracking-number").text
        # A reload shows the same receipt, without sending the form again.
        resident.driver.refresh()
        self.assertEqual(resident.el("#tracking-number").text, number)

    def test_wrong_pin_gets_a_plain_message(self):
        resident = self.person(PHONE)
        created = submit_by_api("S01-O1-C2", "路口红绿灯时间太短")
        resident.go("/lookup")
        resident.type("#f-number", created["number"])
        resident.type("#f-pin", "000000" if created["pin"] != "000000" else "111111")
        resident.click("form.card button[type=submit]")
        self.assertIn("不正确", resident.text())
        self.assertEqual(len(resident.els("#item-status")), 0)

    def test_dissatisfied_callback_shows_supervision_order(self):
        created = submit_by_api("S01-O2-C1", "车棚电动车连续被盗，希望加强巡查", category="theft")
        number = created["number"]
        api("POST", "/api/v1/items/%s/dispatch" % number, {"unit": "S01"}, api_login("dispatcher"))
        handler = api_login("handler1")
        api("POST", "/api/v1/items/%s/accept" % number, {}, handler)
        api("POST", "/api/v1/items/%s/reply" % number, {"outcome": "explained", "text": "已加强巡逻"}, handler)

        staff = self.person(DESK)
        staff.login("callback")
        staff.go("/staff/callbacks/" + number)
        staff.act("callback", fields={"textarea[name=comment]": "车还是丢，没有看到巡逻"}, selects={"select[name=result]": "dissatisfied"})
        staff.logout()
        staff.login("inspector")
        staff.go("/staff/supervision")
        orders = staff.el("#orders").text
        self.assertIn(number, orders)
        self.assertIn("车还是丢", orders)
        staff.shot("staff-supervision")
        staff.go("/staff/items/" + number)
        self.assertIn("督办中", staff.el("#item-status").text)

    def test_station_a_cannot_open_station_b_item(self):
        other = submit_by_api("S02-O1-C1", "长江社区门口乱停车")["number"]
        staff = self.person(DESK)
        staff.login("handler1")  # 丹阳路派出所 (S01)
        staff.go("/staff/items/" + other)
        self.assertIn("不在您的辖区", staff.text())
        self.assertNotIn("长江社区门口乱停车", staff.driver.page_source)
        staff.go("/staff/ledger")
        self.assertNotIn(other, staff.text())

    def test_script_in_text_is_shown_as_text(self):
        resident = self.person(PHONE)
        payload = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">门口有人吵架"
        number, pin = self.resident_submits(resident, payload, phone="13600001234")
        resident.go("/lookup")
        resident.type("#f-number", number)
        resident.type("#f-pin", pin)
        resident.click("form.card button[type=submit]")
        self.assertIn("<script>window.pwned=1</script>", resident.el(".item-text").text)
        self.assertIsNone(resident.driver.execute_script("return window.pwned"))
        staff = self.person(DESK)
        staff.login("dispatcher")
        staff.go("/staff/items/" + number)
        self.assertIn("<script>", staff.el("#item-text").text)
        self.assertIsNone(staff.driver.execute_script("return window.pwned"))

    def test_ledger_csv_opens_with_chinese_intact(self):
        # A submission over several lines whose second line looks like a formula: it must stay one cell of one row.
        tricky = "第一行\r\n+1+cmd|' /C calc'!A0\n=HYPERLINK(\"http://x\")"
        created = submit_by_api("S01-O1-C1", tricky)
        staff = self.person(DESK)
        staff.login("leader")
        staff.go("/staff/ledger?category=noise")
        staff.shot("staff-ledger")
        href = staff.el("#export-csv").get_attribute("href")
        cookie = "; ".join("%s=%s" % (c["name"], c["value"]) for c in staff.driver.get_cookies())
        request = urllib.request.Request(href, headers={"Cookie": cookie})
        with urllib.request.urlopen(request) as response:
            self.assertIn("text/csv", response.headers["Content-Type"])
            data = response.read()
        self.assertEqual(data[:3], b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
        self.assertIn("噪音扰民".encode("utf-8"), data)
        text = data.decode("utf-8")  # every byte is valid UTF-8
        # Read back by Python's own CSV reader: one row per item, every number in column A, the tricky text whole.
        rows = list(csv.reader(io.StringIO(text[1:], newline="")))
        self.assertEqual(rows[0][0], "查询号")
        self.assertTrue(all(re.fullmatch(r"[A-Z]+-\d{4}-\d{6,}", row[0]) for row in rows[1:]), "a row split or shifted")
        mine = [row for row in rows if row[0] == created["number"]]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0][10], tricky)
        self.assertFalse(any(cell[:1] in "=+-@" and cell for row in rows for cell in row), "a cell starts like a formula")

    def test_echo_cards_issue_print_and_register_once(self):
        staff = self.person(DESK)
        staff.login("admin")
        staff.go("/staff/echo-cards")
        staff.choose("#f-unit", "S02")
        staff.type("#f-count", "6")
        staff.click("form[action='/staff/echo-cards'] button")
        serials = [e.text for e in staff.els(".echo-card .card-head .serial")]
        card_pin = staff.el(".echo-card .stub .card-pin").text
        self.assertEqual(len(serials), 6)
        # The PIN is on the stub the resident keeps, never on the part handed back; the officer is named on the card.
        for card in staff.els(".echo-card"):
            pin = card.find_element(By.CSS_SELECTOR, ".stub .card-pin").text
            self.assertRegex(pin, r"^\d{6}$")
            self.assertNotIn(pin, card.find_element(By.CSS_SELECTOR, ".card-part").text)
            self.assertIn("社区民警", card.find_element(By.CSS_SELECTOR, ".card-officer").text)
        staff.shot("staff-echo-card-sheet")
        # The page for paper works without a script: a link, not a button; printed on A4 in Chromium, 2 × 3 a page.
        staff.click("#print-link")
        self.assertEqual(len(staff.els("header.top")), 0)
        for layout, pages in (("6", 1), ("4", 2)):
            staff.driver.get(staff.driver.current_url.split("?")[0] + "?layout=" + layout)
            pictures, sizes = staff.pdf("print-echo-cards-%s" % layout)
            self.assertEqual(len(pictures), pages, "cards per A4 page")
            self.assertTrue(all(size == (595, 842) for size in sizes), sizes)
            # Every stub's QR code, read from the printed page by a real decoder, is the card's look-up address.
            import zxingcpp
            found = sorted(result.text for picture in pictures for result in zxingcpp.read_barcodes(picture))
            self.assertEqual(found, sorted(BASE + "/lookup?number=" + serial for serial in serials))
        staff.go("/staff/echo-cards")
        staff.logout()

        staff.login("dispatcher")
        for attempt in range(2):
            staff.go("/staff/register?echo_card=" + serials[0])
            staff.choose("#f-kind", "opinion")
            staff.choose("#f-category", "patrol")
            staff.choose("#f-place", "S02-O1-C2")
            staff.type("#f-text", "回音卡：希望晚上多巡逻")
            staff.click("form.card button[type=submit]")
            if attempt == 0:
                self.assertRegex(staff.el("#tracking-number").text, r"^KFQ-")
            else:
                self.assertIn("已使用过", staff.text())
                self.assertEqual(staff.el("#f-text").get_attribute("value"), "回音卡：希望晚上多巡逻")
        # The resident follows the card with its serial and the PIN printed on it.
        resident = self.person(PHONE)
        resident.go("/lookup")
        resident.type("#f-number", serials[0])
        resident.type("#f-pin", card_pin)
        resident.click("form.card button[type=submit]")
        self.assertIn("回音卡：希望晚上多巡逻", resident.el(".item-text").text)

    def test_staff_pages_and_language_switch(self):
        staff = self.person(DESK)
        staff.login("leader")
        staff.go("/staff/dashboard")
        # Items per month, rates over time, and the stations side by side; the running month marked as partial.
        self.assertEqual(len(staff.els("figure.chart > svg")), 3)
        self.assertIn("本月至今", staff.text())
        self.assertIn("满意率", staff.text())
        self.assertEqual(len(staff.els("#suggester-accuracy")), 0, "the suggester's accuracy is for administrators")
        # The demo's year is varied: not every month fully satisfied at the first callback.
        first_time = [cell.text for cell in staff.els("table tbody tr td:nth-child(6)")]
        self.assertTrue(any(text not in ("100.00%", "—") for text in first_time), first_time)
        staff.shot("staff-dashboard")
        staff.click("header a.lang")
        self.assertIn("First-time satisfaction", staff.text())
        self.assertIn("Final satisfaction", staff.text())
        self.assertEqual(staff.el("html").get_attribute("lang"), "en")
        staff.shot("staff-dashboard-en")
        staff.click("header a.lang")
        self.assertEqual(staff.el("html").get_attribute("lang"), "zh-Hans")
        staff.logout()
        staff.login("admin")
        staff.go("/staff/echo-cards")
        staff.shot("staff-echo-cards")

        resident = self.person(PHONE)
        resident.go("/results")
        self.assertIn("回复率", resident.text())
        self.assertIn("丹阳路派出所", resident.text())
        # The bars are there on a phone too, and the stations' chart beside the table.
        self.assertTrue(all(bar.is_displayed() for bar in resident.els("svg.inline-bar")) and resident.els("svg.inline-bar"))
        self.assertTrue(resident.els("figure.chart.narrow"))
        resident.shot("resident-results")

    def test_business_record_callbacks(self):
        import datetime
        yesterday = (datetime.datetime.utcnow() + datetime.timedelta(hours=8) - datetime.timedelta(days=1)).strftime("%Y-%m-%d")
        admin = api_login("admin")
        result = api("POST", "/api/v1/business-records", {"records": [
            {"record_id": "WEB-HJ-1", "business_type": "household", "unit": "S01", "officer": "张警官", "name": "王女士",
             "phone": "13812345678", "date": yesterday},
            {"record_id": "WEB-HJ-2", "business_type": "case_report", "unit": "S01", "name": "匿名", "phone": "13812345679",
             "date": yesterday, "sensitive": True},
        ]}, admin)
        self.assertEqual(result["imported"], 2)

        staff = self.person(DESK)
        staff.login("callback")
        staff.go("/staff/business-callbacks")
        self.assertNotIn("WEB-HJ-2", staff.text())  # sensitive: never called back
        # Opened by its address before it is taken, a record shows the phone masked.
        staff.go("/staff/business-callbacks/WEB-HJ-1")
        self.assertIn("****", staff.el("#record-phone").text)
        self.assertTrue(staff.els("#take-first"))
        staff.go("/staff/business-callbacks")
        staff.click("form[action='/staff/business-callbacks/claim'] button")
        self.assertIn("WEB-HJ-1", staff.text())
        staff.shot("staff-business-callbacks")
        staff.go("/staff/business-callbacks/WEB-HJ-1")
        self.assertEqual(staff.el("#record-phone").text, "13812345678")
        self.assertTrue(staff.els("#record-phone a[href='tel:13812345678']"), "one touch dials it")
        Select(staff.el("#f-outcome")).select_by_value("answered")
        Select(staff.el("#f-satisfaction")).select_by_value("dissatisfied")
        staff.type("#f-comment", "户口迁移材料一次没说清楚")
        Select(staff.el("#f-score-attitude")).select_by_value("2")
        staff.shot("staff-business-callback-record")
        staff.click("#attempt-form button[type=submit]")
        self.assertIn("WEB-HJ-1", staff.text())
        staff.go("/staff/business-callbacks/WEB-HJ-1")
        item = staff.el("#record-item").text
        self.assertRegex(item, r"^KFQ-")
        staff.logout()
        staff.login("handler1")
        staff.go("/staff/inbox")
        self.assertIn(item, staff.text())  # the unit now has it, under the same lifecycle

    def test_weekly_bulletin(self):
        staff = self.person(DESK)
        staff.login("leader")
        staff.go("/staff/bulletins")
        links = staff.els("#bulletins a")
        self.assertGreaterEqual(len(links), 4)  # the demo's last four Mondays
        staff.click("#bulletins a")
        table = staff.el("#bulletin").text
        self.assertIn("丹阳路派出所", table)
        self.assertIn("综合得分", table)
        # Callbacks done never exceed those due.
        for cell in staff.els("#bulletin tbody td:nth-child(10)"):
            done, due = (int(x) for x in cell.text.split("/"))
            self.assertLessEqual(done, due)
        self.assertTrue(staff.els("figure.chart > svg"), "the ranking chart beside the table")
        staff.shot("staff-bulletin")
        # On paper: A4 landscape, one page, every column there and unit names whole.
        staff.click("#print-link")
        pictures, sizes = staff.pdf("print-bulletin")
        self.assertEqual(sizes[0], (842, 595))
        self.assertEqual(len(pictures), 1, "the bulletin fits one A4 page")
        import pypdfium2
        with open(os.path.join(ARTIFACTS, "print-bulletin.pdf"), "rb") as file:
            text = pypdfium2.PdfDocument(file.read())[0].get_textpage().get_text_range()
        for heading in ("排名", "综合得分", "不满意", "超期", "督办单"):
            self.assertIn(heading, text)
        for name in ("丹阳路派出所", "岳程派出所"):
            self.assertIn(name, text.replace("\r", "").replace("\n", ""))
            self.assertIn(name, text, "a unit name is not broken across lines")

    def test_monthly_analysis(self):
        staff = self.person(DESK)
        staff.login("dispatcher")
        staff.go("/staff/analysis")
        self.assertIn("群众最关心的问题", staff.text())
        self.assertTrue(staff.els("#by-category tbody tr"))
        self.assertEqual(len(staff.els("figure.chart > svg")), 1)
        staff.shot("staff-analysis")
        merges = staff.els("#clusters form button")
        if merges:
            before = len(merges)
            staff.click("#clusters form button")
            self.assertIn("/staff/analysis", staff.driver.current_url)
            self.assertLess(len(staff.els("#clusters form button")), before)

    def test_community_officer_records_a_night_visit_on_a_phone_without_javascript(self):
        officer = self.person(PHONE, javascript=False)
        officer.login("community1")
        officer.go("/staff/visits")
        self.assertIn("走访任务", officer.text())
        self.assertTrue(officer.els("#due-list li"), "the demo has visits due")
        self.assertLessEqual(officer.driver.execute_script("return document.documentElement.scrollWidth"), PHONE[0] + 1)
        officer.shot("phone-visits-due")
        officer.click("#due-list li a.button")
        self.assertIn("记录走访", officer.text())
        self.assertIn("****", officer.el("#members").text)  # phones and ID numbers masked
        # The last Monday, Wednesday or Friday before today, at 20:30 Beijing time: a night visit.
        beijing = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8)))
        day = beijing.date() - datetime.timedelta(days=1)
        while day.weekday() not in (0, 2, 4):
            day -= datetime.timedelta(days=1)
        officer.driver.execute_script("document.getElementById('f-at').value = arguments[0]", day.isoformat() + "T20:30")
        officer.el("input[name=outcome][value=met]").click()
        officer.type("#f-heard", "夜访中老人反映：小区东门路灯坏了半个月，晚上回家看不清路")
        officer.choose("#f-category", "patrol")
        officer.type("#f-diary", "夜访，老人精神好，提醒关好门窗")
        officer.click("#record button[type=submit]")
        notice = officer.el(".alert.ok").text
        number = re.search(r"KFQ-\d{4}-\d{6}", notice).group(0)
        self.assertIn("夜访", officer.el("#visits").text)
        officer.shot("phone-visit-recorded")

        dispatcher = self.person(DESK)
        dispatcher.login("dispatcher")
        dispatcher.go("/staff/queue")
        self.assertIn(number, dispatcher.text())
        dispatcher.go("/staff/items/" + number)
        self.assertIn("走访", dispatcher.el("dl.facts").text)
        self.assertTrue(dispatcher.els("a.origin"), "the item links back to the visit")
        dispatcher.shot("staff-item-from-visit")

    def test_leader_sees_visit_coverage(self):
        leader = self.person(DESK)
        leader.login("leader")
        leader.go("/staff/coverage")
        self.assertIn("走访覆盖", leader.text())
        self.assertEqual(len(leader.els("figure.chart > svg")), 1)
        self.assertTrue(leader.els("#coverage tbody tr"))
        self.assertTrue(leader.els("#never-visited li"), "the demo leaves some households unvisited")
        leader.shot("staff-coverage")
        leader.go("/staff/coverage?grain=year")
        self.assertIn("按年", leader.text())
        leader.shot("staff-coverage-year")
        leader.go("/staff/pairs")
        self.assertIn("结对联建", leader.text())
        self.assertTrue(leader.els("#pairs tbody tr"))
        self.assertTrue(leader.els("#pairs-behind"), "some demo pairs fall behind")
        leader.shot("staff-pairs")
        leader.go("/staff/pairs?behind=1")
        self.assertTrue(all(row.get_attribute("class") == "behind" for row in leader.els("#pairs tbody tr")))

    @staticmethod
    def id_number(serial):
        """A resident ID number (GB 11643) born 1990-03-15 with its check character."""
        body = "33050219900315" + "%03d" % serial
        weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]

    @staticmethod
    def code_sent_to(masked_phone):
        """The last verification code the development sender wrote to the server's log for this phone."""
        with open(SERVER_LOG, encoding="utf-8", errors="replace") as log:
            codes = re.findall(r"verification code for " + re.escape(masked_phone) + r" \(ballot [^)]*\): (\d{6})", log.read())
        return codes[-1] if codes else None

    def test_resident_votes_on_a_phone_without_javascript_and_checks_the_receipt(self):
        resident = self.person(PHONE, javascript=False)
        resident.go("/ballots")
        resident.shot("phone-ballots")
        resident.click("#ballots li a")
        self.assertIn("投票中", resident.text())
        self.assertTrue(resident.els("#candidates li"), "the open demo ballot has projects")
        resident.type("#f-id", "330502199003150019")
        resident.type("#f-phone", "13912340001")
        resident.click("#verify button[type=submit]")
        self.assertIn("身份证号不正确", resident.el("#err-id_number").text)
        self.assertEqual(resident.el("#f-id").get_attribute("value"), "330502199003150019")
        resident.el("#f-id").clear()
        resident.type("#f-id", self.id_number(7))
        resident.click("#verify button[type=submit]")
        code = None
        for _ in range(20):
            code = self.code_sent_to("139****0001")
            if code:
                break
            time.sleep(0.1)
        self.assertIsNotNone(code, "the development sender logs the code")
        boxes = resident.els("#vote input[name=choices]")
        self.assertGreaterEqual(len(boxes), 10)
        boxes[0].click()
        boxes[3].click()
        resident.type("#f-code", code)
        self.assertLessEqual(resident.driver.execute_script("return document.documentElement.scrollWidth"), PHONE[0] + 1)
        resident.shot("phone-ballot-vote")
        resident.click("#vote button[type=submit]")
        receipt = resident.el("#receipt").text
        self.assertRegex(receipt, r"^[2-9A-Z]{3}-[2-9A-Z]{3}-[2-9A-Z]{3}-[2-9A-Z]{3}$")
        resident.shot("phone-ballot-receipt")
        resident.go("/ballots/receipt")
        resident.type("#f-receipt", receipt.lower())
        resident.click("form.card button[type=submit]")
        self.assertIn("已计入", resident.el("#receipt-result").text)
        # The same ID number cannot vote twice.
        resident.go("/ballots")
        resident.click("#ballots li a")
        resident.type("#f-id", self.id_number(7))
        resident.type("#f-phone", "13912340002")
        resident.click("#verify button[type=submit]")
        self.assertIn("已经投过票", resident.el(".alert.error").text)

    def test_officer_enters_a_paper_batch_and_the_closed_ballot_shows_its_results(self):
        clerk = self.person(DESK)
        clerk.login("clerk2")
        clerk.go("/staff/ballots")
        clerk.click("#ballot-list tbody tr a")
        self.assertIn("录入纸质选票", clerk.text())
        voters = "\n".join(self.id_number(100 + n) for n in range(3))
        clerk.type("#f-p-number", "browser-1")
        clerk.type("#f-p-voters", voters)
        clerk.type("#f-p-sheets", "BR-001 1 2\nBR-002 3\nBR-002 4")
        clerk.click("#paper-batch button[type=submit]")
        self.assertIn("选票第 3 行", clerk.el(".alert.error").text)
        self.assertIn("BR-002 4", clerk.el("#f-p-sheets").get_attribute("value"))
        clerk.el("#f-p-sheets").clear()
        clerk.type("#f-p-sheets", "BR-001 1 2\nBR-002 3\nBR-003 4")
        clerk.click("#paper-batch button[type=submit]")
        self.assertIn("browser-1", clerk.el(".alert.ok").text)
        self.assertIn("browser-1", clerk.el("#batches").text)
        clerk.shot("staff-ballot-paper")
        resident = self.person(DESK)
        resident.go("/ballots")
        links = resident.els("#ballots li a")
        links[-1].click()
        self.assertIn("投票结果", resident.text())
        self.assertEqual(len(resident.els("#results figure.chart > svg")), 1)
        resident.shot("ballot-results")

    def test_the_public_follows_a_project_on_its_page_and_in_a_feed_reader(self):
        resident = self.person(PHONE, javascript=False)
        resident.go("/projects")
        self.assertIn("十件实事", resident.text())
        self.assertTrue(resident.els("#projects progress"), "the demo's projects show their progress")
        resident.shot("phone-projects")
        resident.click("#projects li a")
        progress = int(resident.el("#project-progress").get_attribute("value"))
        self.assertTrue(0 <= progress <= 100)
        self.assertTrue(resident.els("#updates li"), "the project has dated updates")
        self.assertLessEqual(resident.driver.execute_script("return document.documentElement.scrollWidth"), PHONE[0] + 1)
        resident.shot("phone-project")
        # A real feed reader's parser reads the feed: every entry has an id, a date, a link and the update's text.
        import feedparser
        with urllib.request.urlopen(BASE + "/projects/feed.atom") as response:
            self.assertEqual(response.headers["Content-Type"], "application/atom+xml; charset=utf-8")
            headers = {"content-location": BASE + "/projects/feed.atom", "content-type": response.headers["Content-Type"]}
            parsed = feedparser.parse(response.read(), response_headers=headers)
        self.assertFalse(parsed.bozo, parsed.get("bozo_exception"))
        self.assertEqual(parsed.version, "atom10")
        self.assertTrue(parsed.entries)
        for entry in parsed.entries:
            self.assertTrue(entry.id.startswith("urn:minyi:project:"))
            self.assertTrue(entry.updated_parsed)
            self.assertTrue(entry.link.startswith(BASE + "/projects/"))
            self.assertTrue(entry.content[0].value)

    def test_leader_reads_the_survey_scores_and_the_assessment(self):
        leader = self.person(DESK)
        leader.login("leader")
        leader.go("/staff/opinion")
        self.assertIn("民意评警", leader.text())
        self.assertTrue(leader.els("#by-unit tbody tr"))
        # Down to the communities of the last station's last police office: one is sampled too thinly to rank.
        leader.els("#by-unit tbody tr a")[-1].click()
        leader.els("#by-unit tbody tr a")[-1].click()
        self.assertIn("样本不足", leader.el("#by-unit").text, "the demo's thinly sampled community is not ranked")
        self.assertEqual(len(leader.els("figure.chart > svg")), 1)
        leader.shot("staff-opinion")
        leader.go("/staff/assessment")
        self.assertIn("年度考评", leader.text())
        self.assertIn("群众评价合计 55%", leader.el("#public-share").text)
        ranked = [row for row in leader.els("#assessment-officers tbody tr") if row.find_elements(By.CSS_SELECTOR, "td")[0].text != "—"]
        self.assertTrue(ranked, "some demo officers have every component")
        self.assertIn("缺失", leader.el("#assessment-officers").text, "and some a component too thin to count")
        leader.shot("staff-assessment")

    def test_line_breaks_in_a_residents_text_are_shown_as_typed(self):
        resident = self.person(PHONE, javascript=False)
        resident.go("/submit")
        number, pin = self.resident_submits(resident, "第一行：小区东门路灯坏了\n第二行：晚上回家看不清路\n\n第四行：请尽快修")
        resident.go("/lookup")
        resident.type("#f-number", number)
        resident.type("#f-pin", pin)
        resident.click("form.card button[type=submit]")
        shown = resident.el(".item-text").text
        self.assertIn("第一行：小区东门路灯坏了\n第二行：晚上回家看不清路", shown)
        resident.shot("phone-lookup-line-breaks")
        staff = self.person(DESK)
        staff.login("dispatcher")
        staff.go("/staff/items/" + number)
        self.assertIn("坏了\n第二行", staff.el("#item-text").text)

    def test_a_unit_accepts_several_items_at_once_and_finds_one_by_its_words(self):
        numbers = []
        for text in ("楼道堆放杂物堵住消防通道，多次沟通无果", "小区门口早高峰乱停车，堵住学校通道"):
            number = submit_by_api("S01-O1-C1", text)["number"]
            api("POST", "/api/v1/items/%s/dispatch" % number, {"unit": "S01"}, api_login("dispatcher"))
            numbers.append(number)
        staff = self.person(PHONE)
        staff.login("handler1")
        staff.go("/staff/inbox")
        # Late rows are marked, and each row says how soon or how late.
        self.assertTrue(staff.els("tr.row-overdue, tr.row-due-soon") or "还剩" in staff.text())
        for number in numbers:
            staff.el("#accept-several input[value='%s']" % number).click()
        staff.shot("phone-inbox-ticked")
        staff.click("#accept-several button[type=submit]")
        self.assertIn("已签收 2 件", staff.text())
        for number in numbers:
            detail = api("GET", "/api/v1/items/" + number, None, api_login("leader"))
            self.assertEqual(detail["summary"]["status"], "accepted")
        # Found by words of the text, within the station.
        staff.go("/staff/search")
        staff.type("#f-q", "消防通道")
        staff.click("form.search button[type=submit]")
        self.assertIn(numbers[0], staff.text())
        self.assertNotIn(numbers[1], staff.text())
        staff.shot("phone-search-words")
        # By number: straight to the item; after a reply, a link to the next item waiting for one.
        staff.go("/staff/search")
        staff.type("#f-q", numbers[0].lower())
        staff.click("form.search button[type=submit]")
        self.assertEqual(staff.el("#item-number").text, numbers[0])
        staff.act("reply", fields={"textarea[name=text]": "已联系物业清理杂物"}, selects={"select[name=outcome]": "resolved"})
        self.assertTrue(staff.els("#next-item"), "a link to the next item")
        staff.shot("phone-item-next")

    def test_the_print_link_works_without_javascript(self):
        resident = self.person(PHONE, javascript=False)
        number, pin = self.resident_submits(resident, "小区东门的路灯坏了一个星期", topic="patrol")
        resident.click("a[data-print]")
        self.assertIn("print=1", resident.driver.current_url)
        self.assertEqual(len(resident.els("header.top")), 0)
        self.assertEqual(resident.el("#tracking-number").text, number)
        self.assertEqual(resident.el("#tracking-pin").text, pin)
        resident.shot("phone-receipt-for-paper")

    def test_every_page_is_accessible_and_pictured(self):
        """Every page in every role's navigation, and the pages they lead to, at desk and phone widths: a picture of
        each in artifacts/screenshots/every-*, and axe-core finds no serious or critical violation on any of them."""
        from axe_selenium_python import Axe
        problems = []
        seen = set()

        def check(page, name):
            # The picture first: axe-core scrolls scrollable tables while it checks contrast.
            page.shot("every-" + name)
            axe = Axe(page.driver)
            axe.inject()
            for violation in axe.run()["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    targets = [node["target"] for node in violation["nodes"][:3]]
                    problems.append("%s: %s (%s) %s" % (name, violation["id"], violation["impact"], targets))

        def visit(page, role, path, width):
            slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
            name = "%s-%s-%s" % (role, slug, width)
            if name in seen:
                return
            seen.add(name)
            page.go(path)
            check(page, name)

        def detail_links(page):
            """The first link to a page of one thing (an item, a household, a ballot …) on the page at hand."""
            links = []
            for css in ("table a[href^='/staff/items/']", "a[href^='/staff/households/']", "a[href^='/staff/ballots/']",
                        "a[href^='/staff/projects/']", "a[href^='/staff/bulletins/2']", "a[href^='/staff/meetings/']",
                        "a[href^='/staff/business-callbacks/']", "a[href^='/ballots/']", "a[href^='/projects/']",
                        "a[href^='/staff/alerts/']", "#alerts a[href^='/alerts/']", "a[href^='/staff/partners/']",
                        "a[href='/staff/tasks']", "a[href='/staff/informants']"):
                found = page.els(css)
                if found:
                    links.append(found[0].get_attribute("href").replace(BASE, ""))
            return links

        # With the page's scripts on: axe-core runs as one (the pages themselves work without, as other tests show).
        resident = self.person(PHONE)
        resident.go("/")
        public = [a.get_attribute("href").replace(BASE, "") for a in resident.els("header nav a")] + ["/staff/login"]
        for path in public:
            visit(resident, "resident", path, "phone")
            for link in detail_links(resident):
                visit(resident, "resident", link, "phone")
        desk = self.person(DESK)
        for path in public:
            visit(desk, "resident", path, "desk")
            # In English too: no Chinese left in what the page itself says (names and places are the bureau's own).
            visit(desk, "resident-en", path + ("&" if "?" in path else "?") + "lang=en", "desk")
        for role in ("admin", "leader", "dispatcher", "handler1", "callback", "community1", "auditor", "inspector"):
            staff = self.person(PHONE if role == "community1" else DESK)
            staff.login(role)
            width = "phone" if role == "community1" else "desk"
            nav = [a.get_attribute("href").replace(BASE, "") for a in staff.els("header nav a")]
            for path in nav:
                visit(staff, role, path, width)
                for link in detail_links(staff):
                    visit(staff, role, link, width)
            staff.close()
            self.pages.remove(staff)
        self.assertGreater(len(seen), 40)
        self.assertEqual(problems, [], "\n".join(problems))

    def test_forms_without_csrf_token_are_refused(self):
        request = urllib.request.Request(BASE + "/submit", data=b"kind=opinion&category=noise&place=S01-O1-C1&text=x", method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        with self.assertRaises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(request)
        self.assertEqual(caught.exception.code, 403)


# The tests of what other software reads (alerts' feeds and CAP, Open311 through its PyPI clients), run with these.
from test_open import OpenTests  # noqa: E402,F401

if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print("browser: %d passed, %d failed" % (result.testsRun - failed, failed))
    sys.exit(1 if failed else 0)
