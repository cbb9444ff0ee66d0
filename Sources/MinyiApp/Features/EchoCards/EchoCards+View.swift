import Foundation
import MinyiCore
import MinyiStorage

extension EchoCardBatchesModel {
    func render(_ web: WebRequest) -> HTML {
        let rows: [HTML] = batches.map { batch in
            """
            <tr><td class="nowrap">\(Format.date(batch.issuedAt))</td><td>\(catalogue.unitName(batch.unitID))</td>\
            <td><span class="nowrap">\(batch.firstSerial)</span> – <span class="nowrap">\(batch.lastSerial)</span></td>
            <td class="num">\(batch.count)</td><td class="num">\(batch.used)</td><td>\
            <a href="/staff/echo-cards/\(batch.id)">\(web.t("打印卡片", "Print cards"))</a></td></tr>
            """
        }
        var issueForm: HTML = .empty
        if isAdmin {
            let units = catalogue.units.filter { ($0.kind == .station || $0.kind == .office) && jurisdiction.contains($0) }.map {
                (value: $0.id.rawValue, label: $0.name)
            }
            let sheet = self.sheet ?? FormSheet(web)
            issueForm = """
                <form method="post" action="/staff/echo-cards" class="card">\(web.csrfField)\
                <h2>\(web.t("发放一批回音卡", "Issue a batch of echo cards"))</h2>\(sheet.summary)
                \(sheet.field("unit", label: web.t("发放给", "Issue to"), sheet.select("unit", options: units, placeholder: nil)))
                \(sheet.field("count", label: web.t("张数（1–\(SQLEchoCardStore.maxBatch)）", "How many (1–\(SQLEchoCardStore.maxBatch))"),
                    sheet.text("count", type: "number", value: "50", extra: " min=\"1\" max=\"\(SQLEchoCardStore.maxBatch)\"")))
                <button type="submit">\(web.t("发放", "Issue"))</button></form>
                """
        }
        let registerForm: HTML =
            isClerk
            ? """
            <form method="get" action="/staff/register" class="card"><h2>\(web.t("登记收回的回音卡", "Register a returned card"))</h2>
            <label for="f-card">\(web.t("卡号", "Card number"))</label><input type="text" id="f-card" name="echo_card" placeholder="KFQ-H000123">
            <button type="submit">\(web.t("登记", "Register"))</button></form>
            """ : .empty
        return Layout.page(
            web, title: web.t("回音卡", "Echo cards"), staff: true,
            """
            <h1>\(web.t("回音卡", "Echo cards"))</h1>
            \(Layout.noticeBox(notice))\(Layout.errorBox(error))
            <p>\(web.t(
                "民警走访时把回音卡留给群众；群众写下意见交回后，凭卡号登记为事项，每张卡只能登记一次，办理结果可凭卡号查询。",
                "Officers leave echo cards with residents on visits; a returned card is registered as an item under its number, once per "
                    + "card, and the resident follows it by that number."))</p>
            <div class="grid">\(issueForm)\(registerForm)</div>
            <h2>\(web.t("已发放批次", "Batches issued"))</h2>
            \(rows.isEmpty ? "<p class=\"card\">\(web.t("尚未发放。", "None issued yet."))</p>" as HTML : """
                <div class="table-wrap"><table id="batches"><thead><tr><th>\(web.t("发放日期", "Issued"))</th><th>\(web.t("单位", "Unit"))</th>\
                <th>\(web.t("卡号范围", "Serials"))</th>
                <th class="num">\(web.t("张数", "Cards"))</th><th class="num">\(web.t("已收回", "Returned"))</th>\
                <th></th></tr></thead><tbody>\(rows)</tbody></table></div>
                """)
            """)
    }
}

extension EchoCardSheetModel {
    /// One card: the part the resident writes on and hands back (no PIN on it), a cut line, and the stub they keep with
    /// the serial, the PIN and how to look up, as an address and a QR code of it.
    func card(_ card: EchoCard, _ web: WebRequest) -> HTML {
        let unit = catalogue.byID[card.unitID]
        let pin = pins[card.serial] ?? ""
        let address = lookupURL + "?number=" + card.serial
        let qr: HTML = (try? QRCode(address)).map { $0.svg(label: web.t("查询网址的二维码", "QR code of the look-up address")) } ?? .empty
        let title =
            officer.map { officer in
                officer.roles.contains(.communityOfficer)
                    ? web.t("社区民警", "Community officer")
                    : officer.roles.sorted().first.map { web.lang == .zh ? $0.nameZh : $0.nameEn } ?? ""
            } ?? ""
        let who: HTML =
            officer.map { officer in
                """
                <p class="card-officer"><strong>\(officer.name)</strong> \(title) · \(unit?.name ?? "")\
                \(phone.map { " · " + web.t("电话 ", "tel. ") + $0 } ?? "")</p>
                """
            } ?? "<p class=\"card-officer\">\(unit?.name ?? "")\(phone.map { " · " + $0 } ?? "")</p>"
        let lines = perPage == 4 ? 12 : 4
        let used: HTML =
            card.itemNumber.map { "<p class=\"muted no-print\">\(web.t("已登记为", "Registered as")) <a href=\"/staff/items/\($0)\">\($0)</a></p>" }
            ?? .empty
        return """
            <div class="echo-card"><div class="card-part">
            <div class="card-head"><strong>\(web.t("警民联心回音卡", "Police–resident echo card"))</strong>\
            <span class="serial">\(card.serial)</span></div>
            \(who)
            <p class="promise">\(web.t("我们承诺：您反映的每件事都有专人办理、限期答复；答复后回访您是否满意，不满意的督办到满意为止。",
                "Our promise: everything you tell us is handled by a named unit and answered by a deadline; "
                    + "we then call you back, and if you are not satisfied it is supervised until you are."))</p>
            <p class="write-here">\(web.t("您的意见建议：", "Your opinion or suggestion:"))</p>
            \(Array(repeating: "<div class=\"write-line\"></div>" as HTML, count: lines))
            <p class="return-note">\(web.t("写好后交给社区民警，或投入警务室信箱。紧急情况请拨打 110。",
                "Hand it to your community officer or drop it in the police office's box. In an emergency call 110."))</p>
            </div>
            <div class="cut-line" aria-hidden="true"><span>✂ \(web.t("沿虚线剪开，下联由您保存", "cut here; keep the stub"))</span></div>
            <div class="stub"><div class="stub-text">
            <div><strong>\(web.t("回音卡存根", "Stub"))</strong> <span class="serial">\(card.serial)</span></div>
            <div>\(web.t("查询密码", "PIN")) <strong class="card-pin">\(pin)</strong></div>
            <div class="lookup">\(web.t("凭卡号和查询密码查询办理进度：", "Follow it with the number and PIN at:"))<br>\
            <span class="url">\(address)</span></div>
            </div>\(qr)</div>\(used)</div>
            """
    }

    func options(_ web: WebRequest) -> HTML {
        let people: [HTML] = officers.map {
            "<option value=\"\($0.id.rawValue)\"\(attr: "selected", when: $0.id == officer?.id)>\($0.name)</option>"
        }
        return """
            <form method="get" action="/staff/echo-cards/\(batchID)" class="card filters no-print">
            <div><label for="f-officer">\(web.t("印在卡上的民警", "Officer printed on the cards"))</label>\
            <select id="f-officer" name="officer">\(people)</select></div>
            <div><label for="f-layout">\(web.t("每张 A4", "Per A4 page"))</label><select id="f-layout" name="layout">\
            <option value="6"\(attr: "selected", when: perPage == 6)>\(web.t("6 张（2 × 3）", "6 (2 × 3)"))</option>\
            <option value="4"\(attr: "selected", when: perPage == 4)>\(web.t("4 张（2 × 2）", "4 (2 × 2)"))</option></select></div>
            <button type="submit" class="secondary">\(web.t("更新", "Update"))</button></form>
            """
    }

    func render(_ web: WebRequest) -> HTML {
        Layout.page(
            web, title: web.t("回音卡打印", "Echo card sheet"), staff: true,
            """
            <h1>\(web.t("回音卡", "Echo cards")) · <span class="nowrap">\(cards.first?.serial ?? "")</span> – \
            <span class="nowrap">\(cards.last?.serial ?? "")</span></h1>
            <p class="hint">\(web.t("查询密码只印在存根上：群众剪下存根自己保存，交回的卡片上没有密码。",
                "The PIN is printed on the stub only: the resident cuts it off and keeps it; the card handed back carries no PIN."))</p>
            \(options(web))
            <p><a class="button" href="/staff/echo-cards/\(batchID)/print?\(query)" id="print-link">\
            \(web.t("打印版（A4）", "Page for printing (A4)"))</a> \
            <a href="/staff/echo-cards">\(web.t("返回", "Back"))</a></p>
            <div class="cards-sheet">\(cards.map { card($0, web) })</div>
            """)
    }

    /// The cards on A4 pages of four or six, with cut marks at every card's corners.
    func renderForPaper(_ web: WebRequest) -> HTML {
        let pages: [HTML] = stride(from: 0, to: cards.count, by: perPage).map { start in
            let cells: [HTML] = cards[start..<min(cards.count, start + perPage)].map { "<div class=\"cell\">\(card($0, web))</div>" }
            return "<section class=\"a4 per\(perPage)\">\(cells)</section>"
        }
        return Layout.printPage(
            web, title: web.t("回音卡", "Echo cards") + " \(cards.first?.serial ?? "")", back: "/staff/echo-cards/\(batchID)?\(query)",
            pages.joined())
    }
}
