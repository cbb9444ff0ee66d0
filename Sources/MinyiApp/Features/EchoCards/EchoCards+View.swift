import Foundation
import MinyiCore
import MinyiStorage

extension EchoCardBatchesModel {
    func render(_ web: WebRequest) -> HTML {
        let rows: [HTML] = batches.map { batch in
            """
            <tr><td>\(Format.date(batch.issuedAt))</td><td>\(catalogue.unitName(batch.unitID))</td><td>\(batch.firstSerial) – \(batch.lastSerial)</td>
            <td class="num">\(batch.count)</td><td class="num">\(batch.used)</td><td>\
            <a href="/staff/echo-cards/\(batch.id)">\(web.t("打印卡片", "Print cards"))</a></td></tr>
            """
        }
        var issueForm: HTML = .empty
        if isAdmin {
            let units: [HTML] = catalogue.units.filter { ($0.kind == .station || $0.kind == .office) && jurisdiction.contains($0) }.map {
                "<option value=\"\($0.id.rawValue)\">\($0.name)</option>"
            }
            issueForm = """
                <form method="post" action="/staff/echo-cards" class="card">\(web.csrfField)\
                <h2>\(web.t("发放一批回音卡", "Issue a batch of echo cards"))\
                </h2>
                <label for="f-unit">\(web.t("发放给", "Issue to"))</label><select id="f-unit" name="unit">\(units)</select>
                <label for="f-count">\(web.t("张数（1–\(SQLEchoCardStore.maxBatch)）", "How many (1–\(SQLEchoCardStore.maxBatch))"))</label>
                <input type="number" id="f-count" name="count" min="1" max="\(SQLEchoCardStore.maxBatch)" value="50">
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
    func render(_ web: WebRequest) -> HTML {
        let sheet: [HTML] = cards.map { card in
            let unit = catalogue.byID[card.unitID]
            let used: HTML = card.itemNumber.map { "<p class=\"muted no-print\">已登记为 <a href=\"/staff/items/\($0)\">\($0)</a></p>" } ?? .empty
            return """
                <div class="echo-card"><div><strong>民意回音卡</strong> · \(unit?.name ?? card.unitID.rawValue)</div>
                <div class="serial">\(card.serial)</div>
                <p>请写下您对社区治安和民警工作的意见建议，交给社区民警或投入警务室信箱。我们会限期答复并回访。</p>
                <p>查询：警务e广场「查询进度」，输入卡号和查询密码 <strong class="card-pin">\(pins[card.serial] ?? "")\
                </strong>；或致电 \(unit?.phone ?? "110")。紧急情况请拨打 110。\
                </p>\(used)</div>
                """
        }
        return Layout.page(
            web, title: web.t("回音卡打印", "Echo card sheet"), staff: true,
            """
            <h1 class="no-print">\(web.t("回音卡", "Echo cards")) · \(cards.first?.serial ?? "") – \(cards.last?.serial ?? "")</h1>
            <p class="no-print"><button type="button" data-print hidden>\(web.t("打印", "Print"))</button> \
            <a href="/staff/echo-cards">\(web.t("返回", "Back"))</a></p>
            <div class="cards-sheet">\(sheet)</div>
            """)
    }
}
