import Foundation
import MinyiCore
import MinyiStorage

extension MeetingListModel {
    func render(_ web: WebRequest) -> HTML {
        func value(_ name: String) -> String { form?.raw(name) ?? "" }
        func cls(_ name: String) -> String { errors[name] == nil ? "field" : "field field-error" }
        func msg(_ name: String) -> HTML { errors[name].map { "<p class=\"msg\" id=\"err-\(name)\">\($0)</p>" } ?? .empty }
        let rows: [HTML] = meetings.map { m in
            """
            <tr><td><a href="/staff/meetings/\(m.id.rawValue)">\(m.title)</a></td><td>\(web.lang == .zh ? m.kind.nameZh : m.kind.nameEn)</td>\
            <td class="nowrap">\(Format.dateTime(m.startsAt))</td><td class="hide-narrow">\(catalogue.unitName(m.unitID))</td>\
            <td>\(web.lang == .zh ? m.status.nameZh : m.status.nameEn)</td></tr>
            """
        }
        let kinds: [HTML] = Meeting.Kind.allCases.map {
            "<option value=\"\($0.rawValue)\"\(attr: "selected", when: value("kind") == $0.rawValue)>"
                + "\(web.lang == .zh ? $0.nameZh : $0.nameEn)</option>"
        }
        let unitOptions: [HTML] = units.filter { $0.kind != .community }.map {
            "<option value=\"\($0.id.rawValue)\"\(attr: "selected", when: value("unit") == $0.id.rawValue)>\($0.name)</option>"
        }
        let chosen = Set(form?.all("reporters") ?? [])
        let officerOptions: [HTML] = officers.map {
            """
                <option value=\"\($0.id.rawValue)\"\(attr: "selected", when: chosen.contains($0.id.rawValue))>\($0.name) · \
                \(catalogue.unitName($0.unit))</option>
                """
        }
        return Layout.page(
            web, title: web.t("向人民报告", "Reports to the people"), staff: true,
            """
            <h1>\(web.t("向人民报告 · 述职 · 恳谈会", "Reports to the people"))</h1>
            \(meetings.isEmpty ? "<p class=\"card\">\(web.t("尚无会议。", "No meetings yet."))</p>" as HTML : """
                <div class="table-wrap"><table id="meetings"><thead><tr><th>\(web.t("会议", "Meeting"))</th><th>\(web.t("形式", "Kind"))</th>\
                <th>\(web.t("时间", "When"))</th><th class="hide-narrow">\(web.t("单位", "Unit"))</th><th>\(web.t("状态", "State"))</th></tr></thead>\
                <tbody>\(rows)</tbody></table></div>
                """)
            <form method="post" action="/staff/meetings" class="card" id="plan">\(web.csrfField)
            <h2>\(web.t("筹备一次会议", "Plan a meeting"))</h2>\(FormSheet(web, errors: errors).summary)
            <div class="\(cls("title"))"><label for="f-title">\(web.t("会议名称", "Title"))</label>\
            <input type="text" id="f-title" name="title" value="\(value("title"))">\(msg("title"))</div>
            <div class="\(cls("kind"))"><label for="f-kind">\(web.t("形式", "Kind"))</label>\
            <select id="f-kind" name="kind">\(kinds)</select>\(msg("kind"))</div>
            <div class="\(cls("unit"))"><label for="f-unit">\(web.t("主办单位", "Unit"))</label><select id="f-unit" name="unit">\(unitOptions)\
            </select>\(msg("unit"))</div>
            <div class="\(cls("place"))"><label for="f-place">\(web.t("地点", "Place"))</label>\
            <input type="text" id="f-place" name="place" value="\(value("place"))">\(msg("place"))</div>
            <div class="\(cls("starts_at"))"><label for="f-starts">\(web.t("时间", "When"))</label>\
            <input type="datetime-local" id="f-starts" name="starts_at" value="\(value("starts_at"))">\(msg("starts_at"))</div>
            <div class="\(cls("reporters"))"><label for="f-reporters">\(web.t("报告民警（可多选）", "Officers who report (choose several)"))</label>\
            <select id="f-reporters" name="reporters" multiple size="6">\(officerOptions)</select>\(msg("reporters"))</div>
            <div class="\(cls("invited_deputies"))"><label for="f-deputies">\(web.t("邀请代表委员（人）", "Deputies invited"))</label>\
            <input type="number" id="f-deputies" name="invited_deputies" min="0" \
            value="\(value("invited_deputies").isEmpty ? "0" : value("invited_deputies"))">\(msg("invited_deputies"))</div>
            <div class="\(cls("invited_residents"))"><label for="f-residents">\(web.t("邀请群众（人）", "Residents invited"))</label>\
            <input type="number" id="f-residents" name="invited_residents" min="0" \
            value="\(value("invited_residents").isEmpty ? "0" : value("invited_residents"))">\(msg("invited_residents"))</div>
            <button type="submit">\(web.t("保存", "Save"))</button></form>
            """)
    }
}

extension MeetingModel {
    /// Each reporter's results, as a table.
    func resultsTable(_ web: WebRequest) -> HTML {
        let rows: [HTML] = meeting.reporters.map { officer in
            let r = record.results[officer] ?? MeetingResult()
            let averages: [HTML] = CallbackScores.Indicator.allCases.map { indicator in
                "<td class=\"num hide-narrow\">\(r.average(indicator).map { String(format: "%.1f", $0) } ?? "—")</td>"
            }
            return """
                <tr><td>\(names[officer] ?? officer.rawValue)</td><td class="num">\(r.ratings)</td><td class="num">\(r.satisfaction.percent)</td>\
                <td class="num">\(r.satisfied)/\(r.basicallySatisfied)/\(r.dissatisfied)</td>\(averages)</tr>
                """
        }
        let heads: [HTML] = CallbackScores.Indicator.allCases.map {
            "<th class=\"num hide-narrow\">\(web.lang == .zh ? $0.nameZh : $0.nameEn)</th>"
        }
        return """
            <div class="table-wrap"><table id="results"><thead><tr><th>\(web.t("报告民警", "Officer"))</th>\
            <th class="num">\(web.t("评议人数", "Ratings"))</th>\
            <th class="num">\(web.t("满意率", "Satisfied"))</th><th class="num">\(web.t("满意/基本/不满意", "Sat./basic/dissat."))</th>\(heads)</tr>\
            </thead>\
            <tbody>\(rows)</tbody></table></div>
            """
    }

    func facts(_ web: WebRequest) -> HTML {
        let invited = web.t(
            "（代表委员 \(meeting.invitedDeputies) · 群众 \(meeting.invitedResidents) 受邀）",
            " (invited: \(meeting.invitedDeputies) deputies · \(meeting.invitedResidents) residents)")
        return """
            <dl class="facts"><dt>\(web.t("时间", "When"))</dt><dd>\(Format.dateTime(meeting.startsAt))</dd>\
            <dt>\(web.t("地点", "Place"))</dt><dd>\(meeting.place)</dd>\
            <dt>\(web.t("主办", "Unit"))</dt><dd>\(catalogue.unitName(meeting.unitID))</dd>\
            <dt>\(web.t("到会", "Attended"))</dt><dd>\(record.attended)\(invited)</dd></dl>
            """
    }

    func render(_ web: WebRequest) -> HTML {
        let id = meeting.id.rawValue
        let statusForms: HTML =
            switch meeting.status {
            case .planned:
                """
                <form method="post" action="/staff/meetings/\(id)/status" class="inline">\(web.csrfField)<input type="hidden" name="to" value="open">\
                <button type="submit">\(web.t("开始会议，开放评议", "Start: open the ratings"))</button></form>
                """
            case .open:
                """
                <form method="post" action="/staff/meetings/\(id)/status" class="inline">\(web.csrfField)\
                <input type="hidden" name="to" value="closed">\
                <button type="submit" class="danger">\(web.t("结束会议，公开结果", "Close: publish the results"))</button></form>
                """
            case .closed: "<p><a href=\"/meetings/\(id)\">\(web.t("查看公开结果页", "The public results page"))</a></p>"
            }
        func value(_ name: String) -> String { concern?.raw(name) ?? "" }
        let categories: [HTML] = catalogue.categories.map {
            "<option value=\"\($0.code.rawValue)\"\(attr: "selected", when: value("category") == $0.code.rawValue)>"
                + "\(web.lang == .zh ? $0.nameZh : $0.nameEn)</option>"
        }
        let places: [HTML] = communities.map {
            "<option value=\"\($0.id.rawValue)\"\(attr: "selected", when: value("place") == $0.id.rawValue)>\(catalogue.placeName($0.id))</option>"
        }
        let items: [HTML] = record.items.map { "<li><a href=\"/staff/items/\($0)\">\($0)</a></li>" }
        let open = meeting.status != .closed
        let codesHint = web.t(
            "每位到会者领一个评议码，在手机上打开 /meetings/\(id)/rate 评议；评议码只显示这一次，请当场打印。",
            "One code per attendee, used at /meetings/\(id)/rate on a phone; codes are shown this once: print them now.")
        return Layout.page(
            web, title: meeting.title, staff: true,
            """
            <h1>\(meeting.title) <span class="muted">\(web.lang == .zh ? meeting.status.nameZh : meeting.status.nameEn)</span></h1>
            \(Layout.noticeBox(notice))\(Layout.errorBox(error))
            <div class="card">\(facts(web))<p>\(statusForms)</p></div>
            <h2>\(web.t("现场评议", "Ratings on the spot"))</h2>\(resultsTable(web))
            \(open ? """
                <form method="post" action="/staff/meetings/\(id)/codes" class="card">\(web.csrfField)\
                <h2>\(web.t("发放评议码", "Hand out rating codes"))</h2>\
                <p class="hint">\(codesHint)</p>\
                <label for="f-count">\(web.t("张数", "How many"))</label>\
                <input type="number" id="f-count" name="count" min="1" max="2000" value="50">\
                <button type="submit">\(web.t("生成并打印", "Make and print"))</button></form>
                """ : HTML.empty)
            \(meeting.status == .open ? """
                <form method="post" action="/staff/meetings/\(id)/concerns" class="card" id="concern">\(web.csrfField)\
                <h2>\(web.t("登记会上反映的问题", "Register what was raised"))</h2>\(FormSheet(web, errors: errors).summary)
                <div class="\(errorField == "text" || errors["text"] != nil ? "field field-error" : "field")">\
                <label for="f-text">\(web.t("反映内容", "What was raised"))</label>\
                <textarea id="f-text" name="text">\(value("text"))</textarea>\
                \(errors["text"].map { "<p class=\"msg\" id=\"err-text\">\($0)</p>" as HTML } ?? .empty)</div>
                <label for="f-category">\(web.t("类别", "Category"))</label><select id="f-category" name="category">\(categories)</select>
                <label for="f-place">\(web.t("社区/村", "Community"))</label><select id="f-place" name="place">\(places)</select>
                <div class="\(errorField == "contact.phone" || errors["phone"] != nil ? "field field-error" : "field")">\
                <label for="f-phone">\(web.t("群众电话（选填）", "Phone (optional)"))</label>\
                <input type="tel" id="f-phone" name="phone" value="\(value("phone"))">\
                \(errors["phone"].map { "<p class=\"msg\" id=\"err-phone\">\($0)</p>" as HTML } ?? .empty)</div>
                <button type="submit">\(web.t("登记为事项", "Register as an item"))</button></form>
                """ : HTML.empty)
            <h2>\(web.t("会上反映的事项", "Items raised"))</h2>
            \(items.isEmpty ? "<p class=\"muted\">\(web.t("尚无。", "None yet."))</p>" as HTML : "<ul id=\"meeting-items\">\(items)</ul>")
            """)
    }

    /// The sheet of codes to cut and hand out at the door.
    func renderCodes(_ codes: [String], _ web: WebRequest) -> HTML {
        let cards: [HTML] = codes.map { code in
            """
            <div class="echo-card"><p>\(meeting.title)</p><p class="serial">\(code.prefix(4))-\(code.dropFirst(4))</p>\
            <p class="hint">\(web.t(
                "评议请访问 /meetings/\(meeting.id.rawValue)/rate 输入评议码", "Rate at /meetings/\(meeting.id.rawValue)/rate"))</p></div>
            """
        }
        return Layout.page(
            web, title: web.t("评议码", "Rating codes"), staff: true,
            """
            <h1 class="no-print">\(web.t("评议码", "Rating codes")) (\(codes.count))</h1>
            <p class="hint no-print">\(web.t("这些评议码只显示这一次，请现在打印。", "These codes are shown this once: print them now."))\
             \(Layout.printLink(web)) \
            <a href="/staff/meetings/\(meeting.id.rawValue)">\(web.t("返回", "Back"))</a></p>
            <div class="cards-sheet" id="codes">\(cards)</div>
            """)
    }

    // MARK: Public

    static func renderPublicList(_ meetings: [Meeting], catalogue: WebController.Catalogue, _ web: WebRequest) -> HTML {
        let rows: [HTML] = meetings.map { m in
            """
                <li><a href=\"/meetings/\(m.id.rawValue)\">\(m.title)</a> <span class=\"muted\">\(Format.date(m.startsAt)) · \
                \(catalogue.unitName(m.unitID))</span></li>
                """
        }
        let intro = web.t(
            "民警当面向群众和代表委员报告工作，到会群众现场评议。以下是已结束会议的评议结果和群众反映问题的办理情况。",
            "Officers report to residents and deputies in person and are rated on the spot. Below: past meetings' results and the concerns raised.")
        return Layout.page(
            web, title: web.t("向人民报告", "Reports to the people"),
            """
            <h1>\(web.t("民警向人民报告", "Police report to the people"))</h1>
            <p>\(intro)</p>
            \(rows.isEmpty ? "<p class=\"card\">\(web.t("尚无已结束的会议。", "No meetings yet."))</p>" as HTML
                : "<ul class=\"card\" id=\"meetings\">\(rows)</ul>")
            """)
    }

    func renderPublic(_ web: WebRequest) -> HTML {
        let raised: [HTML] = record.items.map { "<li>\($0)（\(web.t("可在“查询进度”查看办理情况", "look it up under Look up"))）</li>" }
        let body: HTML =
            switch meeting.status {
            case .closed:
                """
                <h2>\(web.t("现场评议结果", "Ratings on the spot"))</h2>\(resultsTable(web))
                <h2>\(web.t("会上反映的问题", "Concerns raised"))</h2>
                \(record.items.isEmpty ? "<p class=\"muted\">\(web.t("无。", "None."))</p>" as HTML : "<ul id=\"meeting-items\">\(raised)</ul>")
                """
            case .open:
                """
                    <p class=\"card\"><a class=\"button\" \
                    href=\"/meetings/\(meeting.id.rawValue)/rate\">\(web.t("用评议码评议", "Rate with your code"))</a></p>
                    """
            case .planned:
                """
                <p class="card">\(web.t("会议尚未开始，结束后公开评议结果。",
                    "The meeting has not started; its results are published when it closes."))</p>
                """
            }
        return Layout.page(
            web, title: meeting.title,
            """
            <h1>\(meeting.title)</h1>
            <div class="card">\(facts(web))</div>
            \(body)
            """)
    }

    func renderRating(_ web: WebRequest) -> HTML {
        guard meeting.status == .open else { return renderPublic(web) }
        let results: [CallbackResult] = [.satisfied, .basicallySatisfied, .dissatisfied]
        let fieldsets: [HTML] = meeting.reporters.map { officer in
            let key = officer.rawValue
            let chosen = rating?.raw("result-\(key)") ?? ""
            let radios: [HTML] = results.map { r in
                """
                <label><input type="radio" name="result-\(key)" value="\(r.rawValue)"\(attr: "checked", when: chosen == r.rawValue)>\
                \(web.lang == .zh ? r.nameZh : r.nameEn)</label>
                """
            }
            let scores: [HTML] = CallbackScores.Indicator.allCases.map { indicator in
                let name = "\(indicator.rawValue)-\(key)"
                let picked = rating?.raw(name) ?? ""
                let options: [HTML] = (1...5).reversed().map {
                    "<option value=\"\($0)\"\(attr: "selected", when: picked == String($0))>\($0)</option>"
                }
                return """
                    <label for="f-\(name)">\(web.lang == .zh ? indicator.nameZh : indicator.nameEn)</label>\
                    <select id="f-\(name)" name="\(name)"><option value="">\(web.t("不评分", "No score"))</option>\(options)</select>
                    """
            }
            return """
                <fieldset class="\(errorField == "rating.\(key)" || errors["rating.\(key)"] != nil ? "field field-error" : "field") outcomes">\
                <legend>\(names[officer] ?? key)</legend>\(radios)\(scores)\
                \(errors["rating.\(key)"].map { "<p class=\"msg\" id=\"err-rating-\(key)\">\($0)</p>" as HTML } ?? .empty)</fieldset>
                """
        }
        return Layout.page(
            web, title: web.t("现场评议", "Rate the officers"),
            """
            <h1>\(meeting.title)</h1>
            <form method="post" action="/meetings/\(meeting.id.rawValue)/rate" class="card" id="rate">\(web.csrfField)
            \(Layout.errorBox(error))\(FormSheet(web, errors: errors).summary)
            <p class="hint">\(web.t("评议不记名：系统只累计各项结果，不保存谁评了什么。",
                "Anonymous: only the totals are kept, never who rated what."))</p>
            <div class="\(errorField == "code" || errors["code"] != nil ? "field field-error" : "field")"><label for="f-code">\
            \(web.t("评议码", "Your code"))</label>\
            <input type="text" id="f-code" name="code" autocomplete="off" value="\(rating?.raw("code") ?? "")">\
            \(errors["code"].map { "<p class=\"msg\" id=\"err-code\">\($0)</p>" as HTML } ?? .empty)</div>
            \(fieldsets)
            <button type="submit">\(web.t("提交评议", "Send"))</button></form>
            """)
    }

    func renderThanks(_ web: WebRequest) -> HTML {
        Layout.page(
            web, title: web.t("谢谢参与", "Thank you"),
            """
            <h1>\(web.t("谢谢您的评议", "Thank you for rating"))</h1>
            <p class="alert ok" role="status">\(web.t("评议已记录。会议结束后，结果将在本页公开。",
                "Your ratings are in. The results are published here when the meeting closes."))</p>
            <p><a href="/meetings/\(meeting.id.rawValue)">\(meeting.title)</a></p>
            """)
    }
}
