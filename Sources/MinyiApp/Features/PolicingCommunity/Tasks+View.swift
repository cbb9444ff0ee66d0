import Foundation
import MinyiCore
import MinyiStorage

func taskBadge(_ task: SharedTask, _ web: WebRequest) -> HTML {
    let name = web.lang == .zh ? task.status.nameZh : task.status.rawValue
    return "<span class=\"badge\(task.status == .open ? "" : " done")\">\(name)</span>"
}

extension TasksModel {
    func render(_ web: WebRequest) -> HTML {
        let rows: [HTML] = tasks.map { stored in
            let task = stored.task
            return """
                <tr><td class="nowrap">\(Format.dateTime(task.startsAt))</td><td><a href="/staff/tasks/\(task.id.rawValue)">\(task.title)</a></td>\
                <td>\(web.lang == .zh ? task.kind.nameZh : task.kind.nameEn)</td><td>\(catalogue.placeName(task.areaID))</td>\
                <td class="num">\(stored.takers.count) / \(task.needed)</td><td>\(taskBadge(task, web))</td></tr>
                """
        }
        return Layout.page(
            web, title: web.t("共享任务", "Shared tasks"), staff: true,
            """
            <h1>\(web.t("共享任务", "Shared tasks"))</h1>
            <p><a href="/staff/partners">\(web.t("警务共同体", "The policing community"))</a></p>
            \(mayManage ? shareForm(web) : .empty)
            <div class="card"><div class="table-wrap"><table id="tasks"><thead><tr><th>\(web.t("开始", "Starts"))</th>\
            <th>\(web.t("任务", "Task"))</th><th>\(web.t("类型", "Kind"))</th><th>\(web.t("社区", "Area"))</th>\
            <th>\(web.t("认领/需要", "Taken / needed"))</th><th>\(web.t("状态", "Status"))</th></tr></thead><tbody>\(rows)</tbody></table></div></div>
            """)
    }

    func shareForm(_ web: WebRequest) -> HTML {
        let sheet = self.sheet ?? FormSheet(web)
        return """
            <form method="post" action="/staff/tasks" class="card" id="share-task">\(web.csrfField)
            <h2>\(web.t("发布任务给社区志愿者", "Share a task with an area's volunteers"))</h2>\(sheet.summary)
            \(sheet.field("area", label: web.t("社区", "Area"), sheet.select("area", options: areas.map { ($0.id.rawValue,
                catalogue.placeName($0.id)) },
                placeholder: web.t("请选择", "Choose"))))
            \(sheet.field("kind", label: web.t("类型", "Kind"), sheet.select("kind", options: SharedTask.Kind.allCases.map {
                ($0.rawValue, web.lang == .zh ? $0.nameZh : $0.nameEn) }, placeholder: web.t("请选择", "Choose"))))
            \(sheet.field("title", label: web.t("任务", "Task"), sheet.text("title", extra: " maxlength=\"60\"")))
            \(sheet.field("text", label: web.t("说明", "Details"), sheet.textarea("text", rows: 3)))
            \(sheet.field("starts_at", label: web.t("开始时间", "Starts"), sheet.text("starts_at", type: "datetime-local",
                value: Format.localTime(now.addingTimeInterval(86400)))))
            \(sheet.field("needed", label: web.t("需要人数", "People needed"), sheet.text("needed", type: "number", value: "4",
                extra: " min=\"1\" max=\"500\"")))
            <button type="submit">\(web.t("发布", "Share"))</button></form>
            """
    }
}

extension TaskModel {
    func render(_ web: WebRequest) -> HTML {
        let sheet = self.sheet ?? FormSheet(web)
        let names = Dictionary(uniqueKeysWithValues: candidates.map { ($0.id, $0.name) })
        let takers: [HTML] = stored.takers.map { taker in
            "<li><a href=\"/staff/partners/\(taker.partner.rawValue)\">\(names[taker.partner] ?? taker.partner.rawValue)</a> "
                + "<span class=\"muted nowrap\">\(Format.dateTime(taker.at))</span></li>"
        }
        let free = candidates.filter { candidate in !stored.takers.contains { $0.partner == candidate.id } }
        let open = task.status == .open && mayManage
        let takeForm: HTML =
            open && !free.isEmpty
            ? """
            <form method="post" action="/staff/tasks/\(task.id.rawValue)/takers" class="card filters" id="take-task">\(web.csrfField)
            \(sheet.field("partner", label: web.t("谁认领了", "Who took it"), sheet.select("partner", options: free.map {
                ($0.id.rawValue, "\($0.name)（\(web.lang == .zh ? $0.kind.nameZh : $0.kind.nameEn)）") }, placeholder: web.t("请选择", "Choose"))))
            <div class="actions"><button type="submit" class="secondary">\(web.t("记录认领", "Record"))</button></div></form>
            """ : .empty
        let closeForm: HTML =
            open
            ? """
            <form method="post" action="/staff/tasks/\(task.id.rawValue)/close" class="card" id="close-task">\(web.csrfField)
            <h2>\(web.t("结果", "What came of it"))</h2>\(sheet.summary)
            \(sheet.field("result", label: web.t("结果", "Result"), sheet.select("result", options: [("done", web.t("已完成", "Done")),
                ("cancelled", web.t("已取消", "Cancelled"))], placeholder: web.t("请选择", "Choose"))))
            \(sheet.field("outcome", label: web.t("结果说明", "What came of it"), sheet.textarea("outcome", rows: 3)))
            \(sheet.field("hours", label: web.t("每人时长（小时，完成时）", "Hours each (when done)"), sheet.text("hours",
                extra: " inputmode=\"decimal\"")))
            <button type="submit">\(web.t("结束任务", "Close the task"))</button></form>
            """ : .empty
        return Layout.page(
            web, title: task.title, staff: true,
            """
            <h1 id="task-title">\(task.title)</h1>
            <p>\(taskBadge(task, web)) <span class="muted">\(web.lang == .zh ? task.kind.nameZh : task.kind.nameEn) · \
            \(catalogue.placeName(task.areaID)) · <span class="nowrap">\(Format.dateTime(task.startsAt))</span></span></p>
            \(task.text.isEmpty ? .empty : "<div class=\"card\"><p class=\"item-text\">\(task.text)</p></div>" as HTML)
            \(task.outcome.map {
                "<div class=\"card\" id=\"task-outcome\"><h2>\(web.t("结果", "Outcome"))</h2><p class=\"item-text\">\($0)</p></div>" as HTML
            } ?? .empty)
            <div class="card"><h2>\(web.t("已认领", "Taken by")) (\(stored.takers.count) / \(task.needed))</h2>\
            \(takers.isEmpty ? "<p class=\"muted\">\(web.t("暂无。", "No one yet."))</p>" as HTML : "<ul id=\"takers\">\(takers)</ul>" as HTML)</div>
            \(takeForm)
            \(closeForm)
            <p><a href="/staff/tasks">\(web.t("返回", "Back"))</a></p>
            """)
    }
}
