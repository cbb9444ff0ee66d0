import Foundation
import MinyiCore
import MinyiStorage

extension PartnersModel {
    func render(_ web: WebRequest) -> HTML {
        let rows: [HTML] = partners.map { partner in
            let tally = tallies[partner.id]
            return """
                <tr><td class="nowrap"><a href="/staff/partners/\(partner.id.rawValue)">\(partner.name)</a></td>\
                <td class="nowrap">\(web.lang == .zh ? partner.kind.nameZh : partner.kind.nameEn)</td>\
                <td class="nowrap">\(catalogue.placeName(partner.areaID))</td>\
                <td>\(partner.skills.map { web.lang == .zh ? $0.nameZh : $0.nameEn }.joined(separator: "、"))</td>\
                <td class="num">\(String(format: "%.1f", tally?.hours ?? 0))</td><td class="num">\(tally?.points ?? 0)</td></tr>
                """
        }
        let counts = Partner.Kind.allCases.filter { ($0 == .informant) == informants }.map { kind in
            "\(web.lang == .zh ? kind.nameZh : kind.nameEn) \(partners.filter { $0.kind == kind }.count)"
        }.joined(separator: " · ")
        let totalHours = tallies.values.reduce(0) { $0 + $1.hours }
        let title = informants ? web.t("信息员", "Informants") : web.t("警务共同体", "The policing community")
        let links: HTML = """
            <p>\(informants ? "<a href=\"/staff/partners\">\(web.t("警务共同体", "The policing community"))</a>" as HTML
                : "<a href=\"/staff/partners.csv\" id=\"partners-csv\">\(web.t("导出 CSV", "Export CSV"))</a>" as HTML) · \
            <a href="/staff/tasks">\(web.t("共享任务", "Shared tasks"))</a>\
            \(mayHandleInformants && !informants ? " · <a href=\"/staff/informants\">\(web.t("信息员", "Informants"))</a>" as HTML : .empty)</p>
            """
        let notice: HTML =
            informants
            ? Layout.errorBox(
                web.t(
                    "信息员身份保密：仅限经办人查看，每次查看均记录在案；不出现在导出、接口和任务中。",
                    "Informants are confidential: shown only to their handlers, every look logged; never exported, in the API or in tasks."))
            : .empty
        return Layout.page(
            web, title: title, staff: true,
            """
            <h1>\(title)</h1>
            \(notice)
            <p id="partner-counts">\(counts) · \(web.t("近一年服务 \(String(format: "%.1f", totalHours)) 小时",
                "\(String(format: "%.1f", totalHours)) hours in the last year"))</p>
            \(links)
            \(mayManage && sentBack ? registerForm(web) : .empty)
            <div class="card"><div class="table-wrap"><table id="partners"><thead><tr><th>\(web.t("姓名/名称", "Name"))</th>\
            <th>\(web.t("类别", "Kind"))</th><th>\(web.t("社区", "Area"))</th><th>\(web.t("技能", "Skills"))</th>\
            <th>\(web.t("近一年时长", "Hours, last year"))</th><th>\(web.t("积分", "Points"))</th></tr></thead><tbody>\(rows)</tbody></table>\
            </div></div>
            \(mayManage && !sentBack ? registerForm(web) : .empty)
            """)
    }

    /// A registration that came back with errors shows above the list; otherwise the list comes first.
    var sentBack: Bool { !(sheet?.errors.isEmpty ?? true) }

    func registerForm(_ web: WebRequest) -> HTML {
        let sheet = self.sheet ?? FormSheet(web)
        let kinds: [Partner.Kind] = informants ? [.informant] : [.volunteer, .organisation, .assistant]
        let skills: [HTML] = Partner.Skill.allCases.map { skill in
            """
            <label class="check"><input type="checkbox" name="skills" value="\(skill.rawValue)"\
            \(attr: "checked", when: sheet.values.all("skills").contains(skill.rawValue))> \(web.lang == .zh ? skill.nameZh : skill.nameEn)</label>
            """
        }
        let times: [HTML] = Partner.Availability.allCases.map { time in
            """
            <label class="check"><input type="checkbox" name="availability" value="\(time.rawValue)"\
            \(attr: "checked", when: sheet.values.all("availability").contains(time.rawValue))> \(web.lang == .zh ? time.nameZh : time.nameEn)</label>
            """
        }
        return """
            <form method="post" action="/staff/partners" class="card" id="register-partner">\(web.csrfField)
            <h2>\(informants ? web.t("登记信息员", "Register an informant") : web.t("登记成员", "Register a member"))</h2>\(sheet.summary)
            \(sheet.field("kind", label: web.t("类别", "Kind"), sheet.select("kind", options: kinds.map { ($0.rawValue,
                web.lang == .zh ? $0.nameZh : $0.nameEn) },
                placeholder: kinds.count == 1 ? nil : web.t("请选择", "Choose"))))
            \(sheet.field("name", label: web.t("姓名或单位名称", "Name"), sheet.text("name", extra: " maxlength=\"60\"")))
            \(sheet.field("phone", label: web.t("手机（选填）", "Mobile (optional)"), sheet.text("phone", type: "tel")))
            \(sheet.field("area", label: web.t("所在社区", "Area"), sheet.select("area", options: areas.map { ($0.id.rawValue,
                catalogue.placeName($0.id)) },
                placeholder: web.t("请选择", "Choose"))))
            <fieldset class="field" id="f-skills"><legend>\(web.t("技能", "Skills"))</legend>\(skills)</fieldset>
            <fieldset class="field" id="f-availability"><legend>\(web.t("可服务时间", "Free"))</legend>\(times)</fieldset>
            \(sheet.field("note", label: web.t("备注（选填）", "Note (optional)"), sheet.textarea("note")))
            <button type="submit">\(web.t("登记", "Register"))</button></form>
            """
    }
}

extension PartnerModel {
    func render(_ web: WebRequest) -> HTML {
        let rows: [HTML] = activities.map { activity in
            """
            <tr><td class="nowrap">\(Format.dateTime(activity.at))</td><td>\(web.lang == .zh ? activity.kind.nameZh : activity.kind.nameEn)\
            \(activity.useful ? " ✓" + web.t("有用", "useful") : "")</td><td class="num">\(String(format: "%.1f", activity.hours))</td>\
            <td class="num">\(activity.points)</td><td>\(activity.note ?? "")\
            \(activity.taskID.map { " <a href=\"/staff/tasks/\($0.rawValue)\">\(web.t("任务", "task"))</a>" as HTML } ?? .empty)</td></tr>
            """
        }
        let total = activities.reduce(0) { $0 + $1.points }
        let hours = activities.reduce(0) { $0 + $1.hours }
        return Layout.page(
            web, title: partner.name, staff: true,
            """
            <h1 id="partner-name">\(partner.name)</h1>
            \(partner.kind == .informant ? Layout.errorBox(web.t("信息员身份保密，本次查看已记录。", "Confidential: this look is logged.")) : .empty)
            <div class="card"><dl class="facts">\
            <dt>\(web.t("类别", "Kind"))</dt><dd>\(web.lang == .zh ? partner.kind.nameZh : partner.kind.nameEn)</dd>\
            <dt>\(web.t("社区", "Area"))</dt><dd>\(catalogue.placeName(partner.areaID))</dd>\
            <dt>\(web.t("手机", "Mobile"))</dt>\
            <dd id="partner-phone">\(phone.map { mayLog ? Layout.phoneLink($0) : HTML.trusted(HTML.escape($0)) } ?? "—")</dd>\
            <dt>\(web.t("技能", "Skills"))</dt><dd>\(partner.skills.map { web.lang == .zh ? $0.nameZh : $0.nameEn }.joined(separator: "、"))</dd>\
            <dt>\(web.t("可服务时间", "Free"))</dt>\
            <dd>\(partner.availability.map { web.lang == .zh ? $0.nameZh : $0.nameEn }.joined(separator: "、"))</dd>\
            \(partner.note.map { "<dt>\(web.t("备注", "Note"))</dt><dd>\($0)</dd>" as HTML } ?? .empty)</dl>
            <p id="partner-total">\(web.t("累计 \(String(format: "%.1f", hours)) 小时，\(total) 积分",
                "\(String(format: "%.1f", hours)) hours, \(total) points in all"))</p></div>
            \(mayLog ? logForm(web) : .empty)
            <div class="card"><h2>\(web.t("活动记录", "Activities"))</h2><div class="table-wrap"><table id="activities"><thead><tr>\
            <th>\(web.t("时间", "When"))</th><th>\(web.t("活动", "What"))</th><th>\(web.t("小时", "Hours"))</th><th>\(web.t("积分", "Points"))</th>\
            <th>\(web.t("说明", "Note"))</th></tr></thead><tbody>\(rows)</tbody></table></div></div>
            <p><a href="\(partner.kind == .informant ? "/staff/informants" : "/staff/partners")">\(web.t("返回", "Back"))</a></p>
            """)
    }

    func logForm(_ web: WebRequest) -> HTML {
        let sheet = self.sheet ?? FormSheet(web)
        let kinds = PartnerActivity.Kind.allCases.filter { $0 != .task && (partner.kind == .informant ? $0 == .tip : true) }
        return """
            <form method="post" action="/staff/partners/\(partner.id.rawValue)/activities" class="card" id="log-activity">\(web.csrfField)
            <h2>\(web.t("记录活动", "Record an activity"))</h2>\(sheet.summary)
            <p class="muted">\(web.t("积分：巡逻每小时 10，调解 15，宣传 8，任务 12；线索 20，经核实有用另加 30。",
                "Points: patrol 10 an hour, mediation 15, publicity 8, tasks 12; a tip 20, and 30 more when it proved useful."))</p>
            \(sheet.field("kind", label: web.t("活动", "What"), sheet.select("kind", options: kinds.map { ($0.rawValue,
                web.lang == .zh ? $0.nameZh : $0.nameEn) },
                placeholder: web.t("请选择", "Choose"))))
            \(sheet.field("hours", label: web.t("时长（小时）", "Hours"), sheet.text("hours", type: "text", extra: " inputmode=\"decimal\"")))
            \(sheet.field("at", label: web.t("时间（不填为现在）", "When (now if left empty)"), sheet.text("at", type: "datetime-local")))
            \(sheet.checkbox("useful", label: web.t("线索经核实有用", "The tip proved useful")))
            \(sheet.field("note", label: web.t("说明（选填）", "Note (optional)"), sheet.text("note", extra: " maxlength=\"500\"")))
            <button type="submit">\(web.t("记录", "Record"))</button></form>
            """
    }
}
