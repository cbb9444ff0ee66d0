import Foundation
import MinyiCore
import MinyiStorage

extension BallotAdminListModel {
    func render(_ web: WebRequest) -> HTML {
        let rows: [HTML] = campaigns.map { row in
            let phase = row.campaign.phase(at: now)
            return """
                <tr><td><a href="/staff/ballots/\(row.campaign.id.rawValue)">\(row.campaign.title)</a></td><td>\(row.campaign.year)</td>\
                <td><span class="badge phase-\(phase.rawValue)">\(web.lang == .zh ? phase.nameZh : phase.nameEn)</span></td>\
                <td class="hide-narrow">\(Format.dateTime(row.campaign.opensAt)) — \(Format.dateTime(row.campaign.closesAt))</td>\
                <td class="num">\(row.turnout)</td></tr>
                """
        }
        func value(_ name: String, _ fallback: String = "") -> String { form?.raw(name) ?? fallback }
        func fieldClass(_ name: String) -> String { error?.field == name || errors[name] != nil ? "field field-error" : "field" }
        func message(_ name: String) -> HTML { errors[name].map { "<p class=\"msg\" id=\"err-\(name)\">\($0)</p>" } ?? .empty }
        let create: HTML =
            mayManage
            ? """
            <form method="post" action="/staff/ballots" class="card filters" id="new-ballot">\(web.csrfField)
            <h2 class="wide">\(web.t("发起票选", "Set up a ballot"))</h2>
            <div class="wide">\(Layout.errorBox(error?.message))\(FormSheet(web, errors: errors).summary)</div>
            <div class="\(fieldClass("title")) wide"><label for="f-title">\(web.t("标题", "Title"))</label>\
            <input type="text" id="f-title" name="title" value="\(value("title"))" maxlength="200">\(message("title"))</div>
            <div class="\(fieldClass("year"))"><label for="f-year">\(web.t("项目年度", "Year of the projects"))</label>\
            <input type="number" id="f-year" name="year" value="\(value("year", String(Deadlines.year(of: now) + 1)))">\(message("year"))</div>
            <div class="\(fieldClass("opens_at"))"><label for="f-opens">\(web.t("开始投票", "Voting opens"))</label>\
            <input type="datetime-local" id="f-opens" name="opens_at" value="\(value("opens_at"))">\(message("opens_at"))</div>
            <div class="\(fieldClass("closes_at"))"><label for="f-closes">\(web.t("截止投票", "Voting closes"))</label>\
            <input type="datetime-local" id="f-closes" name="closes_at" value="\(value("closes_at"))">\(message("closes_at"))</div>
            <div class="\(fieldClass("max_choices"))"><label for="f-max">\(web.t("每人最多选", "Choose up to"))</label>\
            <input type="number" id="f-max" name="max_choices" value="\(value("max_choices", "10"))" min="1" max="50">\(message("max_choices"))</div>
            <div class="actions wide"><button type="submit">\(web.t("发起", "Set up"))</button></div></form>
            """ : .empty
        return Layout.page(
            web, title: web.t("十件实事票选", "Project ballots"), staff: true,
            """
            <h1>\(web.t("十件实事票选", "Project ballots"))</h1>
            \(rows.isEmpty ? "<p class=\"card\">\(web.t("暂无票选。", "No ballot yet."))</p>" as HTML : """
                <div class="table-wrap"><table id="ballot-list"><thead><tr><th>\(web.t("票选", "Ballot"))</th><th>\(web.t("年度", "Year"))</th>\
                <th>\(web.t("状态", "Phase"))</th><th class="hide-narrow">\(web.t("投票时间", "Window"))</th>\
                <th class="num">\(web.t("已投票", "Voted"))</th></tr></thead><tbody>\(rows)</tbody></table></div>
                """)
            \(create)
            """)
    }
}

extension BallotAdminModel {
    func render(_ web: WebRequest) -> HTML {
        let id = campaign.id.rawValue
        let projects: [HTML] = candidates.map { candidate in
            """
            <tr><td class="num">\(candidate.number)</td><td>\(candidate.title)\
            \(candidate.summary.isEmpty ? .empty : "<div class=\"muted\">\(candidate.summary)</div>" as HTML)</td>\
            <td>\(catalogue.unitName(candidate.unitID))</td>\
            <td class="hide-narrow">\(candidate.category.map { catalogue.categoryName($0, web) } ?? "—")</td></tr>
            """
        }
        let online = turnout[.web] ?? 0
        let paper = turnout[.paper] ?? 0
        let results: HTML =
            result.map { result in
                let model = BallotModel(campaign: campaign, candidates: candidates, result: result, catalogue: catalogue, now: now)
                return model.results(web, result)
            } ?? .empty
        return Layout.page(
            web, title: campaign.title, staff: true,
            """
            <h1>\(campaign.title)</h1>
            <p class="muted"><span class="badge phase-\(phase.rawValue)">\(web.lang == .zh ? phase.nameZh : phase.nameEn)</span> \
            \(Format.dateTime(campaign.opensAt)) — \(Format.dateTime(campaign.closesAt)) · \
            \(web.t("每人最多选 \(campaign.maxChoices) 项", "choose up to \(campaign.maxChoices)")) · \
            <a href="/ballots/\(id)">\(web.t("公开页面", "Public page"))</a></p>
            \(Layout.noticeBox(notice))
            <p id="admin-turnout" class="card">\(web.t("已投票 \(online + paper) 人（网上 \(online)，纸质 \(paper)）。投票结束前不显示各项目得票。",
                "\(online + paper) have voted (\(online) online, \(paper) on paper). The counts stay hidden until voting closes."))</p>
            <div class="card"><h2>\(web.t("候选项目", "Candidate projects")) <span class="muted">(\(candidates.count))</span></h2>
            \(projects.isEmpty ? "<p class=\"muted\">\(web.t("尚无候选项目。", "No project yet."))</p>" as HTML : """
                <div class="table-wrap"><table id="candidates"><thead><tr><th class="num">\(web.t("编号", "No."))</th>\
                <th>\(web.t("项目", "Project"))</th><th>\(web.t("承办单位", "Unit"))</th><th class="hide-narrow">\(web.t("回应关切", "Concern"))</th>\
                </tr></thead><tbody>\(projects)</tbody></table></div>
                """)</div>
            \(mayManage && phase == .upcoming ? candidateForms(web) : .empty)
            \(mayEnterPaper && phase == .open ? paperForm(web) : .empty)
            \(batchList(web))
            \(results)
            """)
    }

    func candidateForms(_ web: WebRequest) -> HTML {
        let id = campaign.id.rawValue
        func value(_ name: String) -> String { candidateForm?.raw(name) ?? "" }
        let units: [HTML] = catalogue.units.filter { $0.kind != .community }.map {
            "<option value=\"\($0.id.rawValue)\"\(attr: "selected", when: value("unit") == $0.id.rawValue)>\($0.name)</option>"
        }
        let categories: [HTML] = catalogue.categories.map {
            "<option value=\"\($0.code.rawValue)\"\(attr: "selected", when: value("category") == $0.code.rawValue)>"
                + "\(web.lang == .zh ? $0.nameZh : $0.nameEn)</option>"
        }
        let bureau = catalogue.units.first { $0.kind == .bureau }?.id.rawValue ?? ""
        let suggestions: [HTML] = concerns.map { concern in
            let name = catalogue.categoryName(concern.category, lang: .zh)
            return """
                <li><form method="post" action="/staff/ballots/\(id)/candidates" class="inline">\(web.csrfField)\
                <input type="hidden" name="title" value="回应群众关切：\(name)">\
                <input type="hidden" name="category" value="\(concern.category.rawValue)">\
                <input type="hidden" name="unit" value="\(bureau)">\
                <input type="hidden" name="summary" value="过去一年群众反映“\(name)”\(concern.count) 件。">\
                \(catalogue.categoryName(concern.category, web)) <span class="muted">(\(concern.count))</span> \
                <button type="submit" class="secondary">\(web.t("列为候选", "Make it a candidate"))</button></form></li>
                """
        }
        return """
            <form method="post" action="/staff/ballots/\(id)/candidates" class="card" id="add-candidate">\(web.csrfField)
            <h2>\(web.t("添加候选项目", "Add a candidate project"))</h2>
            \(Layout.errorBox(error?.message))\(FormSheet(web, errors: errors).summary)
            <div class="\(fieldClass("title"))"><label for="f-c-title">\(web.t("项目名称", "Project"))</label>\
            <input type="text" id="f-c-title" name="title" value="\(value("title"))" maxlength="200">\(candidateMessage("title"))</div>
            <div class="\(fieldClass("summary"))"><label for="f-c-summary">\(web.t("简介", "Summary"))</label>\
            <textarea id="f-c-summary" name="summary" rows="2">\(value("summary"))</textarea>\(candidateMessage("summary"))</div>
            <div class="\(fieldClass("unit"))"><label for="f-c-unit">\(web.t("承办单位", "Unit"))</label>\
            <select id="f-c-unit" name="unit">\(units)</select></div>
            <div class="\(fieldClass("category"))"><label for="f-c-category">\(web.t("回应的关切类别（选填）", "Concern it answers (optional)"))\
            </label>\
            <select id="f-c-category" name="category"><option value="">—</option>\(categories)</select></div>
            <button type="submit">\(web.t("添加", "Add"))</button></form>
            <div class="card"><h2>\(web.t("从群众关切中建议", "Suggested from residents' concerns"))</h2>
            <p class="hint">\(web.t("开票前十二个月群众反映最多的类别。",
                "The categories residents raised most in the twelve months before voting opens."))</p>
            \(suggestions.isEmpty ? "<p class=\"muted\">\(web.t("暂无数据。", "No data yet."))</p>" as HTML
                : "<ul class=\"plain\" id=\"concerns\">\(suggestions)</ul>" as HTML)
            </div>
            """
    }

    func paperForm(_ web: WebRequest) -> HTML {
        func value(_ name: String) -> String { paperForm?.raw(name) ?? "" }
        return """
            <form method="post" action="/staff/ballots/\(campaign.id.rawValue)/paper" class="card" id="paper-batch">\(web.csrfField)
            <h2>\(web.t("录入纸质选票", "Enter a batch of paper ballots"))</h2>
            \(Layout.errorBox(error?.message))
            <p class="hint">\(web.t("签到名单与票箱中的选票分开录入，二者不对应；人数与张数应相等。一个批次全部正确才会入账。",
                "Enter the roll signed at the desk and the sheets from the box separately: they are not matched. Their counts must be equal; "
                    + "a batch is entered whole or not at all."))</p>
            <div class="\(fieldClass("number"))"><label for="f-p-number">\(web.t("批次号", "Batch number"))</label>\
            <input type="text" id="f-p-number" name="number" value="\(value("number"))" maxlength="40"></div>
            <div class="\(fieldClass("voters"))">\
            <label for="f-p-voters">\(web.t("签到选民身份证号（每行一个）", "ID numbers of the voters who signed (one a line)"))\
            </label><textarea id="f-p-voters" name="voters" rows="5">\(value("voters"))</textarea></div>
            <div class="\(fieldClass("sheets"))"><label for="f-p-sheets">\(web.t("选票（每行：选票编号 项目编号…，如 P0001 1 3 7）",
                "Sheets (a line each: serial, then project numbers, e.g. P0001 1 3 7)"))</label>\
            <textarea id="f-p-sheets" name="sheets" rows="5">\(value("sheets"))</textarea></div>
            <button type="submit">\(web.t("录入", "Enter"))</button></form>
            """
    }

    func batchList(_ web: WebRequest) -> HTML {
        guard !batches.isEmpty else { return .empty }
        let rows: [HTML] = batches.map { batch in
            """
            <tr><td>\(batch.number)</td><td>\(catalogue.unitName(batch.unitID))</td><td class="nowrap">\(Format.dateTime(batch.enteredAt))</td>\
            <td class="num">\(batch.voters)</td><td class="num">\(batch.sheets)</td></tr>
            """
        }
        return """
            <div class="card"><h2>\(web.t("纸质选票批次", "Paper batches"))</h2><div class="table-wrap"><table id="batches"><thead><tr>\
            <th>\(web.t("批次号", "Batch"))</th><th>\(web.t("录入单位", "Unit"))</th><th>\(web.t("录入时间", "Entered"))</th>\
            <th class="num">\(web.t("选民", "Voters"))</th><th class="num">\(web.t("选票", "Sheets"))</th></tr></thead><tbody>\(rows)</tbody>\
            </table></div></div>
            """
    }
}
