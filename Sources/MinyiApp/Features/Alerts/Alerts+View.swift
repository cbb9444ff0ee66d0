import Foundation
import MinyiCore
import MinyiStorage

/// The topic and severity of an alert, and "withdrawn" or "over" where it no longer holds.
func alertBadges(_ alert: SafetyAlert, now: Date, _ web: WebRequest) -> HTML {
    let state: HTML =
        alert.withdrawnAt != nil
        ? " <span class=\"badge late\">\(web.t("已撤回", "Withdrawn"))</span>"
        : alert.validUntil <= now
            ? " <span class=\"badge\">\(web.t("已过期", "Over"))</span>"
            : alert.validFrom > now ? " <span class=\"badge\">\(web.t("待生效", "Scheduled"))</span>" : .empty
    return """
        <span class="badge">\(web.lang == .zh ? alert.topic.nameZh : alert.topic.nameEn)</span> \
        <span class="badge severity-\(alert.severity.rawValue.lowercased())">\(web.t(alert.severity.nameZh, alert.severity.rawValue))</span>\(state)
        """
}

extension AlertListModel {
    func render(_ web: WebRequest) -> HTML {
        let query = AlertPages.query(community: community, topic: topic)
        let communityOptions: [HTML] = communities.map {
            "<option value=\"\($0.id.rawValue)\"\(attr: "selected", when: $0.id == community?.id)>\(catalogue.placeName($0.id))</option>"
        }
        let topicOptions: [HTML] = SafetyAlert.Topic.allCases.map {
            "<option value=\"\($0.rawValue)\"\(attr: "selected", when: $0 == topic)>\(web.lang == .zh ? $0.nameZh : $0.nameEn)</option>"
        }
        let cards: [HTML] = alerts.map { alert in
            """
            <li class="card alert-card"><h2><a href="/alerts/\(alert.id.rawValue)">\(alert.title)</a></h2>
            <p>\(alertBadges(alert, now: now, web)) <span class="muted nowrap">\(Format.dateTime(alert.validFrom))</span></p>
            <p class="item-text">\(alert.text)</p>
            <p class="muted">\(catalogue.unitName(alert.unitID)) · \(web.t("有效期至", "until")) \
            <span class="nowrap">\(Format.dateTime(alert.validUntil))</span></p></li>
            """
        }
        let heading = [community.map { catalogue.placeName($0.id) }, topic.map { web.lang == .zh ? $0.nameZh : $0.nameEn }].compactMap { $0 }
        return Layout.page(
            web, title: web.t("警情提示", "Safety alerts"),
            """
            <h1>\(web.t("警情提示与防范提醒",
                "Safety alerts and prevention tips"))\(heading.isEmpty ? "" : "：" + heading.joined(separator: " · "))</h1>
            <form method="get" action="/alerts" class="card filters" id="alert-filter">
            <div><label for="f-community">\(web.t("社区/村", "Community"))</label><select id="f-community" name="community">\
            <option value="">\(web.t("全部社区", "Every community"))</option>\(communityOptions)</select></div>
            <div><label for="f-topic">\(web.t("主题", "Topic"))</label><select id="f-topic" name="topic">\
            <option value="">\(web.t("全部主题", "Every topic"))</option>\(topicOptions)</select></div>
            <label class="check"><input type="checkbox" name="all" value="1"\(attr: "checked", when: all)> \(web.t("包括已过期、已撤回的",
                "Include past and withdrawn"))</label>
            <div class="actions"><button type="submit">\(web.t("查看", "Show"))</button></div></form>
            \(cards.isEmpty ? "<p class=\"card\" id=\"no-alerts\">\(web.t("当前没有生效的提示。", "No alert in force."))</p>" as HTML
                : "<ul class=\"plain\" id=\"alerts\">\(cards)</ul>")
            <p><a href="/alerts/feed.atom\(query)" id="alert-feed">\(web.t("订阅这些提示（Atom）", "Follow these alerts (Atom feed)"))</a></p>
            """)
    }
}

extension AlertModel {
    func render(_ web: WebRequest) -> HTML {
        let areas = alert.communities.map { catalogue.placeName($0) }.joined(separator: "、")
        let withdrawn: HTML =
            withdrawal.map { event in
                Layout.errorBox(
                    web.t(
                        "本提示已于 \(Format.dateTime(event.at)) 撤回：\(event.note ?? "")",
                        "Withdrawn on \(Format.dateTime(event.at)): \(event.note ?? "")")
                )
            } ?? .empty
        let body: HTML = """
            <h1 id="alert-title">\(alert.title)</h1>
            <p>\(alertBadges(alert, now: now, web)) <span class="muted">\(web.t("紧急程度", "Urgency")) \(web.t(alert.urgency.nameZh,
                alert.urgency.rawValue))</span></p>
            \(withdrawn)
            <div class="card"><p class="item-text" id="alert-text">\(alert.text)</p>
            <p class="muted">\(catalogue.unitName(alert.unitID)) · \(web.t("适用", "For")) \(areas)<br>\
            \(web.t("有效期", "In force")) <span class="nowrap">\(Format.dateTime(alert.validFrom))</span> – \
            <span class="nowrap">\(Format.dateTime(alert.validUntil))</span></p></div>
            """
        guard let staff else {
            return Layout.page(
                web, title: alert.title,
                """
                \(body)
                <p><a href="/alerts?community=\(alert.communities.first?.rawValue ?? "")">\(web.t("本社区的其他提示",
                    "More alerts for this community"))</a> · \
                <a href="/alerts/\(alert.id.rawValue)/cap.xml">CAP 1.2</a></p>
                """)
        }
        return Layout.page(web, title: alert.title, staff: true, body + staffPart(staff, web))
    }

    func staffPart(_ actor: Actor, _ web: WebRequest) -> HTML {
        let sheet = self.sheet ?? FormSheet(web)
        let rows: [HTML] = alert.communities.map { community in
            let state: HTML
            if let event = sent(to: community) {
                state = "✓ <span class=\"nowrap\">\(Format.dateTime(event.at))</span> \(officerNames[event.actorID] ?? "")"
            } else if mayMark.contains(community) {
                state = """
                    <form method="post" action="/staff/alerts/\(alert.id.rawValue)/sent" class="inline">\(web.csrfField)\
                    <input type="hidden" name="community" value="\(community.rawValue)">\
                    <button type="submit" class="secondary">\(web.t("标记已发到群", "Mark as sent"))</button></form>
                    """
            } else {
                state = "<span class=\"muted\">\(web.t("未发送", "not sent"))</span>"
            }
            return "<tr id=\"sent-\(community.rawValue)\"><td>\(catalogue.placeName(community))</td><td>\(state)</td></tr>"
        }
        let timeline: [HTML] = events.map { event in
            let what: String
            switch event.kind {
            case .published: what = web.t("发布", "Published")
            case .sent:
                what = web.t(
                    "已发到\(catalogue.unitName(event.communityID))的\(alert.topic.nameZh)群",
                    "Sent to \(catalogue.unitName(event.communityID))'s group")
            case .withdrawn: what = web.t("撤回：", "Withdrawn: ") + (event.note ?? "")
            }
            return "<li><div class=\"when\">\(Layout.time(event.at, web)) · \(officerNames[event.actorID] ?? "")</div><div>\(what)</div></li>"
        }
        let withdraw: HTML =
            mayWithdraw
            ? """
            <form method="post" action="/staff/alerts/\(alert.id.rawValue)/withdraw" class="card" id="withdraw-form">\(web.csrfField)
            <h2>\(web.t("撤回", "Withdraw"))</h2>\(sheet.summary)
            \(sheet.field("reason", label: web.t("撤回原因（群众可见）", "Why (residents read it)"), sheet.text("reason",
                extra: " maxlength=\"200\"")))
            <button type="submit" class="secondary">\(web.t("撤回本提示", "Withdraw this alert"))</button></form>
            """ : .empty
        return """
            <div class="card"><h2>\(web.t("发到社区群的消息", "The message for the community groups"))</h2>\
            <p class="muted">\(web.t("复制后粘贴到各社区的“\(alert.topic.nameZh)”微信群、QQ群，再在下表标记。",
                "Copy it into each community's WeChat or QQ group for this topic, then mark it below."))</p>
            <textarea readonly rows="5" id="group-message" aria-label="\(web.t("群消息", "Group message"))">\(alert.groupMessage(link: link))\
            </textarea></div>
            <div class="card"><h2>\(web.t("发送情况", "Where it went"))</h2><div class="table-wrap"><table id="alert-sent"><thead><tr>\
            <th>\(web.t("社区/村", "Community"))</th><th>\(web.t("群", "Group"))</th></tr></thead><tbody>\(rows)</tbody></table></div></div>
            \(withdraw)
            <div class="card"><h2>\(web.t("记录", "Record"))</h2><ol class="timeline" id="alert-events">\(timeline)</ol></div>
            <p><a href="/alerts/\(alert.id.rawValue)">\(web.t("群众看到的页面", "The page residents see"))</a> · \
            <a href="/alerts/\(alert.id.rawValue)/cap.xml">CAP 1.2</a></p>
            """
    }
}

extension StaffAlertsModel {
    func render(_ web: WebRequest) -> HTML {
        let rows: [HTML] = alerts.map { alert in
            """
            <tr><td class="nowrap">\(Format.dateTime(alert.validFrom))</td><td><a href="/staff/alerts/\(alert.id.rawValue)">\(alert.title)</a></td>\
            <td>\(alertBadges(alert, now: now, web))</td><td>\(catalogue.unitName(alert.unitID))</td>\
            <td class="num">\(sentCounts[alert.id] ?? 0) / \(alert.communities.count)</td></tr>
            """
        }
        let reachRows: [HTML] = reach.map { row in
            let missing = row.alerts - row.sent
            return """
                <tr><td>\(catalogue.placeName(row.community))</td><td class="num">\(row.alerts)</td><td class="num">\(row.sent)</td>\
                <td class="num\(missing > 0 ? " overdue" : "")">\(missing)</td></tr>
                """
        }
        return Layout.page(
            web, title: web.t("警情提示", "Safety alerts"), staff: true,
            """
            <h1>\(web.t("警情提示", "Safety alerts"))</h1>
            \(mayPublish ? publishForm(web) : .empty)
            <div class="card"><h2>\(web.t("已发布", "Published"))</h2>\
            \(rows.isEmpty ? "<p class=\"muted\">\(web.t("暂无。", "None yet."))</p>" as HTML : """
                <div class="table-wrap"><table id="staff-alerts"><thead><tr><th>\(web.t("生效", "From"))</th><th>\(web.t("标题", "Title"))</th>\
                <th>\(web.t("主题", "Topic"))</th><th>\(web.t("发布单位", "Unit"))</th><th>\(web.t("已发到群", "Groups reached"))</th></tr></thead>\
                <tbody>\(rows)</tbody></table></div>
                """)</div>
            <div class="card"><h2>\(web.t("近 30 天各社区收到的提示", "What went out where, last 30 days"))</h2>\
            \(reachRows.isEmpty ? "<p class=\"muted\">\(web.t("暂无。", "None yet."))</p>" as HTML : """
                <div class="table-wrap"><table id="alert-reach"><thead><tr><th>\(web.t("社区/村", "Community"))</th>\
                <th>\(web.t("提示", "Alerts"))</th><th>\(web.t("已发到群", "Sent to the group"))</th><th>\(web.t("未发", "Not sent"))</th>\
                </tr></thead><tbody>\(reachRows)</tbody></table></div>
                """)</div>
            """)
    }

    func publishForm(_ web: WebRequest) -> HTML {
        let sheet = self.sheet ?? FormSheet(web)
        let chosen = Set(sheet.values.all("communities"))
        let boxes: [HTML] = communities.map { unit in
            """
            <label class="check"><input type="checkbox" name="communities" value="\(unit.id.rawValue)"\
            \(attr: "checked", when: chosen.contains(unit.id.rawValue))> \(catalogue.placeName(unit.id))</label>
            """
        }
        let communityError: HTML = sheet.errors["communities"].map { "<p class=\"msg\" id=\"f-communities-error\">\($0)</p>" } ?? .empty
        return """
            <form method="post" action="/staff/alerts" class="card" id="publish-alert">\(web.csrfField)
            <h2>\(web.t("发布提示", "Publish an alert"))</h2>\(sheet.summary)
            <fieldset class="\(sheet.errors["communities"] == nil ? "field" : "field field-error")" id="f-communities">\
            <legend>\(web.t("发给哪些社区", "For which communities"))</legend>\(boxes)\(communityError)</fieldset>
            \(sheet.field("topic", label: web.t("主题", "Topic"), sheet.select("topic", options: SafetyAlert.Topic.allCases.map {
                ($0.rawValue, web.lang == .zh ? $0.nameZh : $0.nameEn) }, placeholder: web.t("请选择", "Choose"))))
            \(sheet.field("urgency", label: web.t("紧急程度", "Urgency"), sheet.select("urgency", options: SafetyAlert.Urgency.allCases.map {
                ($0.rawValue, web.t($0.nameZh, $0.rawValue)) }, placeholder: web.t("请选择", "Choose"))))
            \(sheet.field("severity", label: web.t("严重程度", "Severity"), sheet.select("severity", options: SafetyAlert.Severity.allCases.map {
                ($0.rawValue, web.t($0.nameZh, $0.rawValue)) }, placeholder: web.t("请选择", "Choose"))))
            \(sheet.field("title", label: web.t("标题", "Title"), sheet.text("title", extra: " maxlength=\"\(SafetyAlert.maxTitle)\"")))
            \(sheet.field("text", label: web.t("内容", "Text"), sheet.textarea("text", rows: 5)))
            \(sheet.field("valid_from", label: web.t("生效时间（不填为现在）", "From (now if left empty)"), sheet.text("valid_from",
                type: "datetime-local")))
            \(sheet.field("valid_until", label: web.t("有效期至", "Until"), sheet.text("valid_until", type: "datetime-local",
                value: Format.localTime(now.addingTimeInterval(7 * 86400)))))
            <button type="submit">\(web.t("发布", "Publish"))</button></form>
            """
    }
}
