import Foundation
import MinyiCore
import MinyiStorage

extension ScoresModel {
    /// One indicator's cell: the value with its 95% interval, or "sample too small" with n.
    func cell(_ score: IndicatorScore, _ web: WebRequest) -> HTML {
        guard let estimate = score.estimate else { return "<td class=\"num muted\">—</td>" }
        if score.tooSmall {
            return "<td class=\"num muted\" title=\"n=\(estimate.n)\">\(web.t("样本不足", "sample too small")) (\(estimate.n))</td>"
        }
        let (value, low, high) =
            score.indicator.isShare
            ? (
                String(format: "%.1f%%", estimate.value * 100), String(format: "%.1f", estimate.low * 100),
                String(format: "%.1f%%", estimate.high * 100)
            )
            : (String(format: "%.2f", estimate.value), String(format: "%.2f", estimate.low), String(format: "%.2f", estimate.high))
        return "<td class=\"num\"><strong>\(value)</strong><div class=\"muted\">\(low)–\(high)</div></td>"
    }

    func table(_ rows: [Row], id: String, first: String, _ web: WebRequest) -> HTML {
        let heads: [HTML] = SurveyIndicator.allCases.map { "<th class=\"num\">\(web.lang == .zh ? $0.nameZh : $0.nameEn)</th>" }
        let body: [HTML] = rows.map { row in
            let rate: HTML =
                row.target.map { target in
                    "<td class=\"num hide-narrow\">\(String(format: "%.0f%%", Double(row.tallies.n) / Double(max(1, target)) * 100))</td>"
                } ?? "<td class=\"num hide-narrow\">—</td>"
            let cells: [HTML] = SurveyIndicator.allCases.map { cell(score($0, row.tallies), web) }
            // A unit's row opens the units one level further down (staff only: the public page stays at stations).
            let name: HTML =
                staff && row.target != nil && !row.key.isEmpty
                ? "<a href=\"/staff/opinion?campaign=\(campaign?.id.rawValue ?? "")&amp;unit=\(row.key)\">\(row.name)</a>" : "\(row.name)"
            return "<tr><td>\(name)</td><td class=\"num\">\(row.tallies.n)</td>\(rate)\(cells)</tr>"
        }
        return """
            <div class="table-wrap"><table id="\(id)"><thead><tr><th>\(first)</th><th class="num">n</th>\
            <th class="num hide-narrow">\(web.t("应答率", "Response rate"))</th>\(heads)</tr></thead><tbody>\(body)</tbody></table></div>
            """
    }

    func trend(_ web: WebRequest) -> HTML {
        guard months.count > 1 else { return .empty }
        let ordered = months.sorted { (Int($0.key) ?? 0) < (Int($1.key) ?? 0) }
        let labels = ordered.map { Deadlines.monthLabel(Date(timeIntervalSince1970: TimeInterval(Int($0.key) ?? 0))) }
        let series: [Charts.Series] = [SurveyIndicator.satisfaction, .visibility, .familiarity].map { indicator in
            Charts.Series(
                name: web.lang == .zh ? indicator.nameZh : indicator.nameEn,
                values: ordered.map { month in score(indicator, month).estimate.map(\.value) })
        }
        return """
            <h2>\(web.t("逐月走势", "Month by month"))</h2>
            \(Charts.rateLines(labels: labels, series: series, title: web.t("满意率、见警率、熟悉率逐月走势",
                "Satisfaction, visibility, familiarity by month")))
            """
    }

    func render(_ web: WebRequest) -> HTML {
        let base = staff ? "/staff/opinion" : "/opinion"
        let tabs: [HTML] = campaigns.map { c in
            "<a href=\"\(base)?campaign=\(c.id.rawValue)\"\(HTML.trusted(c.id == campaign?.id ? " aria-current=\"page\"" : ""))>\(c.title)</a>"
        }
        let byOfficer: HTML = "<h2>\(web.t("各民警", "By officer"))</h2>" + table(officers, id: "by-officer", first: web.t("民警", "Officer"), web)
        let recordLink: HTML = """
            <p><a class="button secondary" href="/staff/opinion/\(campaign?.id.rawValue ?? "")/record">\(web.t("录入答卷", "Record answers"))</a></p>
            """
        let body: HTML
        if let campaign {
            body = """
                <p class="muted">\(Format.date(campaign.startsAt)) — \(Format.date(campaign.endsAt)) · \(unit.name) · \
                \(web.t("每个社区目标样本 \(campaign.targetPerUnit)", "target \(campaign.targetPerUnit) answers a community")) · \
                \(web.t("少于 \(minimumN) 个回答的不排名", "fewer than \(minimumN) answers: not ranked"))</p>
                <p class="hint">\(web.t("数值下方为 95% 置信区间（比例用 Wilson 区间）。受访群众的身份不与答卷一起保存。",
                    "Under each value, its 95% interval (Wilson's for shares). Who answered is never stored with the answers."))</p>
                <h2>\(web.t("总体", "Overall"))</h2>
                \(table([Row(key: "", name: unit.name, tallies: whole, target: nil)], id: "overall", first: web.t("单位", "Unit"), web))
                <h2>\(web.t("各单位", "By unit"))</h2>
                \(table(rows, id: "by-unit", first: web.t("单位", "Unit"), web))
                \(staff && !officers.isEmpty ? byOfficer : .empty)
                \(trend(web))
                """
        } else {
            body = "<p class=\"card\">\(web.t("尚无调查。", "No survey yet."))</p>"
        }
        return Layout.page(
            web, title: web.t("民意评警", "Residents rate the police"), staff: staff,
            """
            <h1>\(web.t("民意评警", "Residents rate the police"))</h1>
            \(Layout.noticeBox(notice))
            \(tabs.count > 1 ? "<nav class=\"tabs\">\(tabs)</nav>" as HTML : .empty)
            \(body)
            \(staff && mayRecord && campaign != nil ? recordLink : .empty)
            \(staff && mayManage ? campaignForm(web) : .empty)
            """)
    }

    /// The page the callback centre records answers on (it sees no scores).
    func renderRecordPage(_ web: WebRequest) -> HTML {
        Layout.page(
            web, title: web.t("录入答卷", "Record answers"), staff: true,
            """
            <h1>\(web.t("录入答卷", "Record answers")) · \(campaign?.title ?? "")</h1>
            \(Layout.noticeBox(notice))
            <p class="hint">\(web.t("只记录回答，不记录受访群众的姓名和电话。", "Only the answers are kept, never the resident's name or phone."))</p>
            \(phoneQueue?.render(web) ?? .empty)
            \(recordForm(web))
            \(codesForm(web))
            """)
    }

    /// The five questions and the comment, as selects (for staff taking answers).
    func questionFields(_ web: WebRequest, values: Form?) -> HTML {
        func value(_ name: String) -> String { values?.raw(name) ?? "" }
        func fieldClass(_ name: String) -> String { error?.field == name || errors[name] != nil ? "field field-error" : "field" }
        func message(_ name: String) -> HTML { errors[name].map { "<p class=\"msg\" id=\"err-\(name)\">\($0)</p>" } ?? .empty }
        func yesNo(_ name: String, _ label: String) -> HTML {
            """
            <div class="\(fieldClass(name))"><label for="f-q-\(name)">\(label)</label><select id="f-q-\(name)" name="\(name)">\
            <option value="">—</option><option value="yes"\(attr: "selected", when: value(name) == "yes")>\(web.t("是", "Yes"))</option>\
            <option value="no"\(attr: "selected", when: value(name) == "no")>\(web.t("否", "No"))</option></select>\(message(name))</div>
            """
        }
        func scoreSelect(_ name: String, _ label: String) -> HTML {
            let options: [HTML] = (1...5).reversed().map {
                "<option value=\"\($0)\"\(attr: "selected", when: value(name) == String($0))>\($0)</option>"
            }
            return """
                <div class="\(fieldClass(name))"><label for="f-q-\(name)">\(label)</label><select id="f-q-\(name)" name="\(name)">\
                <option value="">—</option>\(options)</select>\(message(name))</div>
                """
        }
        let results: [HTML] = [CallbackResult.satisfied, .basicallySatisfied, .dissatisfied].map {
            "<option value=\"\($0.rawValue)\"\(attr: "selected", when: value("satisfaction") == $0.rawValue)>"
                + "\(web.lang == .zh ? $0.nameZh : $0.nameEn)</option>"
        }
        return """
            \(yesNo("saw_police", web.t("本月见到民警巡逻吗", "Seen police patrol this month?")))
            \(yesNo("knows_officer", web.t("知道社区民警姓名吗", "Know the community officer's name?")))
            \(scoreSelect("attitude", web.t("服务态度（1–5）", "Attitude (1–5)")))
            \(scoreSelect("safety", web.t("安全感（1–5）", "Sense of security (1–5)")))
            <div class="\(fieldClass("satisfaction"))"><label for="f-q-satisfaction">\(web.t("满意度", "Satisfaction"))</label>\
            <select id="f-q-satisfaction" name="satisfaction"><option value="">—</option>\(results)</select>\(message("satisfaction"))</div>
            <div class="\(fieldClass("comment"))"><label for="f-q-comment">\(web.t("意见建议", "Comment"))</label>\
            <textarea id="f-q-comment" name="comment" rows="2">\(value("comment"))</textarea>\(message("comment"))</div>
            """
    }

    /// Codes for the web link, for a community's sampled households.
    func codesForm(_ web: WebRequest) -> HTML {
        guard let campaign else { return .empty }
        let places: [HTML] = communities.map { "<option value=\"\($0.id.rawValue)\">\($0.name)</option>" }
        return """
            <form method="post" action="/staff/opinion/\(campaign.id.rawValue)/codes" class="card filters" id="survey-codes">\(web.csrfField)
            <h2 class="wide">\(web.t("网上问卷码（发给抽样住户）", "Codes for the web link (for sampled households)"))</h2>
            <div class="field"><label for="f-k-unit">\(web.t("社区/村", "Community"))</label><select id="f-k-unit" name="unit">\(places)</select>\
            </div>
            <div class="field"><label for="f-k-count">\(web.t("张数", "How many"))</label>\
            <input type="number" id="f-k-count" name="count" value="20" min="1" max="2000"></div>
            <div class="actions wide"><button type="submit" class="secondary">\(web.t("生成并打印", "Make and print"))</button></div></form>
            """
    }

    func recordForm(_ web: WebRequest) -> HTML {
        guard let campaign else { return .empty }
        func value(_ name: String) -> String { form?.raw(name) ?? "" }
        func fieldClass(_ name: String) -> String { error?.field == name || errors[name] != nil ? "field field-error" : "field" }
        let places: [HTML] = communities.map {
            "<option value=\"\($0.id.rawValue)\"\(attr: "selected", when: value("unit") == $0.id.rawValue)>\($0.name)</option>"
        }
        let channels: [HTML] = [SurveyChannel.phone, .faceToFace].map {
            "<option value=\"\($0.rawValue)\"\(attr: "selected", when: value("channel") == $0.rawValue)>"
                + "\(web.lang == .zh ? $0.nameZh : $0.nameEn)</option>"
        }
        return """
            <form method="post" action="/staff/opinion/\(campaign.id.rawValue)/responses" class="card filters" id="survey-response">\(web.csrfField)
            <h2 class="wide">\(web.t("录入一份答卷", "Record one response"))</h2>
            <div class="wide">\(Layout.errorBox(error?.message))\(FormSheet(web, errors: errors).summary)\
            \(errors["answers"].map { Layout.errorBox($0) } ?? .empty)</div>
            <div class="\(fieldClass("unit"))"><label for="f-s-unit">\(web.t("社区/村", "Community"))</label>\
            <select id="f-s-unit" name="unit"><option value="">\(web.t("请选择", "Choose"))</option>\(places)</select>\
            \(errors["unit"].map { "<p class=\"msg\" id=\"err-unit\">\($0)</p>" as HTML } ?? .empty)</div>
            <div class="\(fieldClass("channel"))"><label for="f-s-channel">\(web.t("方式", "How"))</label>\
            <select id="f-s-channel" name="channel">\(channels)</select></div>
            \(questionFields(web, values: form))
            <div class="actions wide"><button type="submit">\(web.t("录入", "Record"))</button></div></form>
            """
    }

    func campaignForm(_ web: WebRequest) -> HTML {
        let sheet = campaignSheet ?? FormSheet(web, prefix: "f-c-")
        return """
            <form method="post" action="/staff/opinion" class="card filters" id="new-survey">\(web.csrfField)
            <h2 class="wide">\(web.t("新建调查", "New survey campaign"))</h2><div class="wide">\(sheet.summary)</div>
            <div class="wide">\(sheet.field("title", label: web.t("标题", "Title"), sheet.text("title")))</div>
            \(sheet.field("starts_at", label: web.t("开始", "Starts"), sheet.text("starts_at", type: "date")))
            \(sheet.field("ends_at", label: web.t("结束", "Ends"), sheet.text("ends_at", type: "date")))
            \(sheet.field("target_per_unit", label: web.t("每社区目标样本", "Target per community"),
                sheet.text("target_per_unit", type: "number", value: "30", extra: " min=\"1\"")))
            <div class="actions wide"><button type="submit" class="secondary">\(web.t("新建", "Create"))</button></div></form>
            """
    }
}
