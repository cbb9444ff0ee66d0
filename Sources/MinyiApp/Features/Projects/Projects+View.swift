import Foundation
import MinyiCore
import MinyiStorage

/// A project's status as a badge, with "late" when it is.
func projectBadge(_ project: YearProject, now: Date, _ web: WebRequest) -> HTML {
    let late: HTML = project.isLate(at: now) ? " <span class=\"badge late\">\(web.t("逾期", "Late"))</span>" : .empty
    return "<span class=\"badge status-\(project.status.rawValue)\">\(web.lang == .zh ? project.status.nameZh : project.status.nameEn)</span>\(late)"
}

extension ProjectListModel {
    func render(_ web: WebRequest) -> HTML {
        let base = staff ? "/staff/projects" : "/projects"
        let tabs: [HTML] = years.map { y in
            "<a href=\"\(base)?year=\(y)\"\(HTML.trusted(y == year ? " aria-current=\"page\"" : ""))>\(y)</a>"
        }
        let rows: [HTML] = projects.map { project in
            """
            <li class="card project"><h2><a href="\(base)/\(project.id.rawValue)">\(project.title)</a></h2>
            <p>\(projectBadge(project, now: now, web)) <span class="muted">\(catalogue.unitName(project.unitID))\
            \(project.votes.map { " · " + web.t("得票 \($0)", "\($0) votes") } ?? "") · \(web.t("期限", "due")) \(Format.date(project.due))</span></p>
            <p><progress max="100" value="\(project.progress)">\(project.progress)%</progress> <strong>\(project.progress)%</strong></p></li>
            """
        }
        let delivered = projects.filter { $0.status == .delivered }.count
        let late = projects.filter { $0.isLate(at: now) }.count
        let adopt: [HTML] = adoptable.map { campaign in
            """
            <form method="post" action="/staff/projects/adopt" class="card">\(web.csrfField)\
            <input type="hidden" name="campaign" value="\(campaign.id.rawValue)">\
            <p>\(web.t("“\(campaign.title)”已结束，按得票确定本年度项目：", "“\(campaign.title)” has closed: make its chosen projects the year's:"))\
            </p><button type="submit">\(web.t("确定项目", "Set the projects"))</button></form>
            """
        }
        let feed: HTML =
            staff
            ? .empty
            : """
            <p><a href="/projects/feed.atom" id="feed-link">\(web.t("订阅进展（Atom）", "Follow the updates (Atom feed)"))</a></p>
            """
        return Layout.page(
            web, title: web.t("十件实事", "The year's projects"), staff: staff,
            """
            <h1>\(web.t("\(year) 年惠民十件实事", "\(year): the projects residents chose"))</h1>
            \(years.count > 1 ? "<nav class=\"tabs\">\(tabs)</nav>" as HTML : .empty)
            <p id="project-summary">\(web.t("共 \(projects.count) 项，已完成 \(delivered) 项，逾期 \(late) 项。",
                "\(projects.count) projects: \(delivered) delivered, \(late) late."))</p>
            \(adopt)
            \(rows.isEmpty ? "<p class=\"card\">\(web.t("暂无项目。", "No project yet."))</p>" as HTML
                : "<ul class=\"plain\" id=\"projects\">\(rows)</ul>")
            \(feed)
            """)
    }
}

extension ProjectModel {
    func render(_ web: WebRequest) -> HTML {
        let milestoneRows: [HTML] = milestones.map { milestone in
            let late = milestone.doneAt == nil && milestone.due < now
            let done: HTML =
                milestone.doneAt.map { "✓ \(Format.date($0))" }
                ?? (mayReport
                    ? """
                    <form method="post" action="/staff/projects/\(project.id.rawValue)/milestones/\(milestone.seq)/done" class="inline">\
                    \(web.csrfField)<button type="submit" class="secondary">\(web.t("标记完成", "Mark done"))</button></form>
                    """ : HTML.trusted(late ? "<span class=\"overdue\">\(web.t("逾期", "late"))</span>" : "—"))
            return "<tr><td>\(milestone.title)</td><td class=\"nowrap\">\(Format.date(milestone.due))</td><td>\(done)</td></tr>"
        }
        let timeline: [HTML] = updates.map { update in
            """
            <li><div class="when">\(Layout.time(update.at, web)) · \(update.progress)% · \
            \(web.lang == .zh ? update.status.nameZh : update.status.nameEn)</div><div>\(update.text)</div>\
            \(update.photoCaption.map { "<div class=\"muted\">\(web.t("图片：", "Photo: "))\($0)</div>" as HTML } ?? .empty)</li>
            """
        }
        let linked: [HTML] = items.map { item in
            let link: HTML = staff ? "<a href=\"/staff/items/\(item.number)\">\(item.number)</a>" : "\(item.number)"
            return "<li>\(link) \(Layout.status(item.status, web))</li>"
        }
        let feedLink: HTML = """
            <p><a href="/projects/\(project.id.rawValue)/feed.atom">\(web.t("订阅本项目进展（Atom）", "Follow this project (Atom)"))</a></p>
            """
        return Layout.page(
            web, title: project.title, staff: staff,
            """
            <h1 id="project-title">\(project.title)</h1>
            <p>\(projectBadge(project, now: now, web)) <span class="muted">\(catalogue.unitName(project.unitID)) · \
            \(web.t("期限", "due")) \(Format.date(project.due))\(project.votes.map { " · " + web.t("得票 \($0)", "\($0) votes") } ?? "")</span></p>
            \(Layout.noticeBox(notice))
            <div class="card"><p><progress max="100" value="\(project.progress)" id="project-progress">\(project.progress)%</progress> \
            <strong>\(project.progress)%</strong></p>\(project.summary.isEmpty ? .empty : "<p>\(project.summary)</p>" as HTML)</div>
            \(milestoneRows.isEmpty ? .empty : """
                <div class="card"><h2>\(web.t("节点", "Milestones"))</h2><div class="table-wrap"><table id="milestones"><thead><tr>\
                <th>\(web.t("节点", "Milestone"))</th><th>\(web.t("计划", "Due"))</th><th>\(web.t("完成", "Done"))</th></tr></thead>\
                <tbody>\(milestoneRows)</tbody></table></div></div>
                """)
            \(mayReport ? reportForms(web) : .empty)
            <div class="card"><h2>\(web.t("进展", "Updates"))</h2><ol class="timeline" id="updates">\(timeline)</ol></div>
            <div class="card"><h2>\(web.t("群众反映", "What residents raised about it")) <span class="muted">(\(items.count))</span></h2>\
            \(linked.isEmpty ? "<p class=\"muted\">\(web.t("无。", "None."))</p>" as HTML : "<ul id=\"project-items\">\(linked)</ul>" as HTML)</div>
            \(staff ? .empty : feedLink)
            """)
    }

    func reportForms(_ web: WebRequest) -> HTML {
        let id = project.id.rawValue
        func value(_ name: String, _ fallback: String = "") -> String { form?.raw(name) ?? fallback }
        let statuses: [HTML] = YearProject.Status.allCases.map {
            "<option value=\"\($0.rawValue)\"\(attr: "selected", when: value("status") == $0.rawValue)>"
                + "\(web.lang == .zh ? $0.nameZh : $0.nameEn)</option>"
        }
        return """
            <form method="post" action="/staff/projects/\(id)/updates" class="card" id="project-update">\(web.csrfField)
            <h2>\(web.t("发布进展", "Post an update"))</h2>
            \(Layout.errorBox(error?.message))\(FormSheet(web, errors: errors).summary)
            <div class="\(fieldClass("text"))"><label for="f-u-text">\(web.t("进展情况（公开）", "What was done (public)"))</label>\
            <textarea id="f-u-text" name="text" rows="3">\(value("text"))</textarea>\(message("text"))</div>
            <div class="\(fieldClass("progress"))"><label for="f-u-progress">\(web.t("进度（%）", "Progress (%)"))</label>\
            <input type="number" id="f-u-progress" name="progress" min="0" max="100" value="\(value("progress", String(project.progress)))">\
            \(message("progress"))</div>
            <div class="\(fieldClass("status"))"><label for="f-u-status">\(web.t("状态（不选则按进度）", "Status (by progress if left)"))</label>\
            <select id="f-u-status" name="status"><option value="">—</option>\(statuses)</select>\(message("status"))</div>
            <div class="\(fieldClass("photo_caption"))"><label for="f-u-caption">\(web.t("图片说明（选填）", "Photo caption (optional)"))</label>\
            <input type="text" id="f-u-caption" name="photo_caption" value="\(value("photo_caption"))" maxlength="200">\
            \(message("photo_caption"))</div>
            <label class="check"><input type="checkbox" name="correction" value="1"\(attr: "checked", when: value("correction") == "1")> \
            \(web.t("更正（允许进度回调）", "Correction (progress may go back)"))</label>
            <button type="submit">\(web.t("发布", "Post"))</button></form>
            <form method="post" action="/staff/projects/\(id)/milestones" class="card filters">\(web.csrfField)
            <h2 class="wide">\(web.t("添加节点", "Add a milestone"))</h2>
            <div class="\(fieldClass("title"))"><label for="f-m-title">\(web.t("节点", "Milestone"))</label>\
            <input type="text" id="f-m-title" name="title" value="\(value("title"))" maxlength="200">\(message("title"))</div>
            <div class="\(fieldClass("due"))"><label for="f-m-due">\(web.t("计划日期", "Due"))</label>\
            <input type="date" id="f-m-due" name="due" value="\(value("due"))">\(message("due"))</div>
            <div class="actions wide"><button type="submit" class="secondary">\(web.t("添加", "Add"))</button></div></form>
            <form method="post" action="/staff/projects/\(id)/items" class="card filters">\(web.csrfField)
            <h2 class="wide">\(web.t("关联群众反映", "Link an item residents raised"))</h2>
            <div class="\(fieldClass("number"))"><label for="f-i-number">\(web.t("查询号", "Tracking number"))</label>\
            <input type="text" id="f-i-number" name="number" value="\(value("number"))">\(message("number"))</div>
            <div class="actions wide"><button type="submit" class="secondary">\(web.t("关联", "Link"))</button></div></form>
            """
    }
}
