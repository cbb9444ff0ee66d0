import Foundation
import MinyiCore
import MinyiStorage

/// The callback centre's phone survey: the households drawn, the agent's queue, and one call.
struct PhoneQueueModel: Sendable {
    var campaign: SurveyCampaign
    var mine: [SurveySample]
    var open: Int
    var addresses: [Household.ID: String]
    var catalogue: WebController.Catalogue

    func render(_ web: WebRequest) -> HTML {
        let rows: [HTML] = mine.map { sample in
            let address = addresses[sample.householdID] ?? sample.householdID.rawValue
            let tries = sample.attempts > 0 ? " · " + web.t("已拨 \(sample.attempts) 次", "\(sample.attempts) tries") : ""
            return """
                <li><a href="/staff/opinion/\(campaign.id.rawValue)/calls/\(sample.id)">\(address)</a> \
                <span class="muted">\(catalogue.placeName(sample.unitID))\(tries)</span></li>
                """
        }
        return """
            <div class="card" id="phone-survey"><h2>\(web.t("电话调查", "Phone survey"))</h2>
            <p class="hint">\(web.t("从户籍底册按社区随机抽取有电话的住户；回答只计入答卷，不与住户对应。",
                "Households with a phone are drawn at random per community; the answers go to the responses and are never tied to "
                    + "the household."))</p>
            <form method="post" action="/staff/opinion/\(campaign.id.rawValue)/sample" class="inline">\(web.csrfField)\
            <label for="f-per" class="hint">\(web.t("每社区抽取", "Per community"))</label> \
            <input type="number" id="f-per" name="per_community" value="\(campaign.targetPerUnit)" min="1" max="10000"> \
            <button type="submit" class="secondary">\(web.t("抽样", "Draw"))</button></form>
            <form method="post" action="/staff/opinion/\(campaign.id.rawValue)/claim" class="inline">\(web.csrfField)\
            <button type="submit">\(web.t("领取 10 户（待领取 \(open)）", "Take 10 (\(open) not taken)"))</button></form>
            \(rows.isEmpty ? "<p class=\"muted\">\(web.t("没有待拨打的住户。", "Nothing to call."))</p>" as HTML
                : "<ul id=\"my-calls\">\(rows)</ul>" as HTML)
            </div>
            """
    }
}

/// One call: the household's address and phone (the look audited), the questions, the outcome.
struct PhoneCallModel: Sendable {
    var campaign: SurveyCampaign
    var sample: SurveySample
    var address: String
    var phones: [String]
    var form: Form?
    /// What is wrong, by field, in the page's language.
    var errors: [String: String] = [:]
    var scores: ScoresModel

    func render(_ web: WebRequest) -> HTML {
        let outcome = form?.raw("outcome") ?? ""
        let outcomes: [HTML] = [SurveySample.Status.answered, .unreachable, .refused].map { s in
            """
            <label><input type="radio" name="outcome" value="\(s.rawValue)"\(attr: "checked", when: outcome == s.rawValue)> \
            \(web.lang == .zh ? s.nameZh : s.nameEn)</label>
            """
        }
        return Layout.page(
            web, title: web.t("电话调查", "Phone survey"), staff: true,
            """
            <h1>\(web.t("电话调查", "Phone survey")) · \(campaign.title)</h1>
            <div class="card"><dl class="facts"><dt>\(web.t("住址", "Address"))</dt><dd>\(address)</dd>\
            <dt>\(web.t("电话", "Phone"))</dt><dd id="call-phone">\(phones.map { Layout.phoneLink($0) }.joined(separator: "、"))</dd></dl>
            <p class="hint">\(web.t("本次查看已记录。", "This look has been logged."))</p></div>
            <form method="post" action="/staff/opinion/\(campaign.id.rawValue)/calls/\(sample.id)" class="card" id="call-form">\(web.csrfField)
            \(FormSheet(web, errors: errors).summary)\(errors["answers"].map { Layout.errorBox($0) } ?? .empty)
            <fieldset class="\(errors["outcome"] == nil ? "field" : "field field-error") outcomes"><legend>\(web.t("结果", "Outcome"))</legend>\
            \(outcomes)\(errors["outcome"].map { "<p class=\"msg\" id=\"err-outcome\">\($0)</p>" as HTML } ?? .empty)</fieldset>
            \(scores.questionFields(web, values: form))
            <button type="submit">\(web.t("记录", "Record"))</button></form>
            """)
    }
}
