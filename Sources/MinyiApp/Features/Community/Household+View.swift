import Foundation
import MinyiCore

extension HouseholdModel {
    func render(_ web: WebRequest) -> HTML {
        let household = stored.household
        let id = household.id.rawValue
        let tags = household.tags.sorted().map { "<span class=\"badge\">\(web.lang == .zh ? $0.nameZh : $0.nameEn)</span>" as HTML }
        let members: [HTML] = household.members.map { member in
            """
            <tr><td>\(member.relation ?? "—")</td><td>\(member.name)</td><td>\(member.phone ?? "—")</td>\
            <td class="hide-narrow">\(member.idNumber ?? "—")</td></tr>
            """
        }
        let revealForm: HTML =
            mayReveal && !revealed && !household.members.isEmpty
            ? """
            <form method="post" action="/staff/households/\(id)/reveal" class="no-print">\(web.csrfField)\
            <input type="hidden" name="purpose" value="走访"><button type="submit" class="secondary">\
            \(web.t("显示完整信息（将记录查看）", "Show in full (the look is logged)"))</button></form>
            """ : .empty
        let dueRows: [HTML] = due.map { due in
            let state: HTML =
                due.isOverdue(at: now)
                ? "<span class=\"overdue\">\(web.t("已逾期", "Overdue"))</span>"
                : "\(web.lang == .zh ? due.status.nameZh : due.status.nameEn)"
            return "<tr><td>\(due.reason)</td><td class=\"nowrap\">\(Format.date(due.earliest)) – \(Format.date(due.due))</td><td>\(state)</td></tr>"
        }
        let visitItems: [HTML] = visits.map { visit in
            let item: HTML =
                visit.itemNumber.map { "<p>\(web.t("已转为事项", "Opened item")) <a href=\"/staff/items/\($0)\">\($0)</a></p>" } ?? .empty
            return """
                <li><span class="when">\(Format.dateTime(visit.at))\(visit.night ? " · " + web.t("夜访", "night visit") : "") · \
                \(officers[visit.officerID] ?? visit.officerID.rawValue) · \(web.lang == .zh ? visit.outcome.nameZh : visit.outcome.nameEn)</span>
                \(visit.heard.map { "<p>\(web.t("群众反映：", "Heard: "))\($0)</p>" as HTML } ?? .empty)\
                \(visit.diary.map { "<p class=\"muted\">\(web.t("民情日记：", "Diary: "))\($0)</p>" as HTML } ?? .empty)\(item)</li>
                """
        }
        return Layout.page(
            web, title: household.address, staff: true,
            """
            <h1>\(household.address)</h1>
            \(Layout.noticeBox(notice))
            <div class="card"><dl class="facts">
            <dt>\(web.t("社区/村", "Community"))</dt><dd>\(catalogue.placeName(household.unitID))</dd>
            <dt>\(web.t("类别", "Groups"))</dt><dd>\(tags.isEmpty ? "—" : tags.reduce(HTML.empty, +))</dd>
            <dt>\(web.t("包户民警", "Officer"))</dt><dd>\(household.officerID.map { officers[$0] ?? $0.rawValue } ?? "—")</dd>
            <dt>\(web.t("上次走访", "Last visit"))</dt><dd>\(stored.lastVisitAt.map { Format.dateTime($0) } ?? web.t("从未走访", "never"))</dd>
            </dl></div>
            <div class="card"><h2>\(web.t("家庭成员", "Members"))</h2>
            \(members.isEmpty ? "<p class=\"muted\">\(web.t("未登记成员。", "No members listed."))</p>" as HTML : """
                <div class="table-wrap"><table id="members"><thead><tr><th>\(web.t("关系", "Relation"))</th><th>\(web.t("姓名", "Name"))</th>\
                <th>\(web.t("电话", "Phone"))</th><th class="hide-narrow">\(web.t("身份证号", "ID number"))</th></tr></thead>\
                <tbody>\(members)</tbody></table></div>
                """)
            \(revealForm)</div>
            \(dueRows.isEmpty ? .empty : """
                <div class="card"><h2>\(web.t("应访事项", "Visits due"))</h2><div class="table-wrap"><table id="due"><thead><tr>\
                <th>\(web.t("事由", "Reason"))</th><th>\(web.t("期限", "Window"))</th><th>\(web.t("状态", "State"))</th></tr></thead>\
                <tbody>\(dueRows)</tbody></table></div></div>
                """)
            \(mayVisit ? visitForm(web) : .empty)
            \(mayVisit ? planForm(web) : .empty)
            \(mayVisit ? linkForm(web) : .empty)
            <div class="card" id="visits"><h2>\(web.t("走访记录", "Visits"))</h2>
            \(visitItems.isEmpty ? "<p class=\"muted\">\(web.t("尚无走访记录。", "No visits yet."))</p>" as HTML
                : "<ul class=\"timeline\">\(visitItems)</ul>")
            </div>
            """)
    }

    /// Tie the household to an item a rule covers: the other party to a dispute.
    func linkForm(_ web: WebRequest) -> HTML {
        let id = stored.household.id.rawValue
        let hint = web.t(
            "纠纷另一方不在事项的联系人中时，在此关联事项，本户同样列入五必访。",
                "When the other party to a dispute is not the item's contact, link the item here.")
        let problem = errors["item"] ?? errors["number"]
        return """
            <form method="post" action="/staff/households/\(id)/items" class="card" id="link-item">\(web.csrfField)
            <h2>\(web.t("关联纠纷事项", "Link a dispute item"))</h2>
            <p class="hint">\(hint)</p>
            <div class="\(problem == nil ? "field" : "field field-error")"><label for="f-number">\(web.t("事项查询号", "Item number"))\
            </label>\
            <input type="text" id="f-number" name="number" placeholder="KFQ-2026-000123" value="\(sent.raw("number"))"\
            \(attr: "aria-invalid=\"true\" aria-describedby=\"err-number\"", when: problem != nil)>\
            \(problem.map { "<p class=\"msg\" id=\"err-number\">\($0)</p>" as HTML } ?? .empty)</div>
            <button type="submit" class="secondary">\(web.t("关联", "Link"))</button>
            </form>
            """
    }

    /// Plan a visit on a day (it joins the officer's due list).
    func planForm(_ web: WebRequest) -> HTML {
        let id = stored.household.id.rawValue
        let day = sent.has("on") ? sent.raw("on") : Format.date(now.addingTimeInterval(86400))
        return """
            <form method="post" action="/staff/households/\(id)/plans" class="card" id="plan">\(web.csrfField)
            <h2>\(web.t("计划走访", "Plan a visit"))</h2>
            <div class="\(errors["on"] == nil ? "field" : "field field-error")"><label for="f-on">\(web.t("日期", "Day"))</label>\
            <input type="date" id="f-on" name="on" value="\(day)">\
            \(errors["on"].map { "<p class=\"msg\" id=\"err-on\">\($0)</p>" as HTML } ?? .empty)</div>
            <div class="\(errors["note"] == nil ? "field" : "field field-error")"><label for="f-note">\(web.t("备注（选填）", "Note (optional)"))\
            </label><input type="text" id="f-note" name="note" value="\(sent.raw("note"))">\
            \(errors["note"].map { "<p class=\"msg\" id=\"err-note\">\($0)</p>" as HTML } ?? .empty)</div>
            <button type="submit" class="secondary">\(web.t("加入走访任务", "Add to my visits"))</button>
            </form>
            """
    }

    func visitForm(_ web: WebRequest) -> HTML {
        let id = stored.household.id.rawValue
        func fieldClass(_ name: String) -> String { errors[name] == nil ? "field" : "field field-error" }
        func message(_ name: String) -> HTML {
            guard let error = errors[name] else { return .empty }
            return "<p class=\"msg\" id=\"err-\(name)\">\(error)</p>"
        }
        let outcomes: [HTML] = VisitOutcome.allCases.map { outcome in
            """
            <label><input type="radio" name="outcome" value="\(outcome.rawValue)"\(attr: "checked", when: draft.outcome == outcome.rawValue)>\
            \(web.lang == .zh ? outcome.nameZh : outcome.nameEn)</label>
            """
        }
        let categories: [HTML] = catalogue.categories.map { category in
            """
            <option value="\(category.code.rawValue)"\(attr: "selected", when: draft.category == category.code.rawValue)>\
            \(web.lang == .zh ? category.nameZh : category.nameEn)</option>
            """
        }
        let hint = web.t(
            "选择类别后，群众反映的内容登记为事项，进入派单、答复和回访。",
            "Choose a category to register what was heard as an item, dispatched, answered and called back like any other.")
        return """
            <form method="post" action="/staff/households/\(id)/visits" class="card" id="record">\(web.csrfField)
            <input type="hidden" name="request_key" value="\(requestKey)">
            <h2>\(web.t("记录走访", "Record a visit"))</h2>
            \(FormSheet(web, errors: errors.filter { ["outcome", "at", "heard", "category", "diary"].contains($0.key) }).summary)
            <fieldset class="\(fieldClass("outcome")) outcomes"><legend>\(web.t("走访结果", "Outcome"))</legend>\(outcomes)\(message("outcome"))\
            </fieldset>
            <div class="\(fieldClass("at"))"><label for="f-at">\(web.t("走访时间", "When"))</label>\
            <input type="datetime-local" id="f-at" name="at" value="\(draft.at ?? Format.localTime(now))">\(message("at"))</div>
            <div class="\(fieldClass("heard"))"><label for="f-heard">\(web.t("群众反映", "What was heard"))</label>\
            <textarea id="f-heard" name="heard">\(draft.heard)</textarea>\(message("heard"))</div>
            <div class="\(fieldClass("category"))"><label for="f-category">\(web.t("转为事项", "Open an item"))</label>\
            <select id="f-category" name="category"><option value="">\(web.t("不转为事项", "No item"))</option>\(categories)</select>\
            <p class="hint">\(hint)</p>\(message("category"))</div>
            <div class="\(fieldClass("diary"))"><label for="f-diary">\(web.t("民情日记", "Diary note"))</label>\
            <textarea id="f-diary" name="diary">\(draft.diary)</textarea>\(message("diary"))</div>
            <button type="submit">\(web.t("保存走访记录", "Save the visit"))</button>
            </form>
            """
    }
}
