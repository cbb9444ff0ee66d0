import Foundation
import MinyiCore
import MinyiStorage

extension HomeModel {
    func render(_ web: WebRequest) -> HTML {
        let offices: [HTML] = catalogue.stations.map { station in
            let rows: [HTML] = catalogue.children(of: station).filter { $0.kind == .office }.map { office in
                let communities = catalogue.children(of: office).map(\.name).joined(separator: web.lang == .zh ? "、" : ", ")
                let phone: HTML = office.phone.map { "<a href=\"tel:\($0)\">\($0)</a>" } ?? "—"
                return "<tr><td>\(office.name)</td><td>\(communities)</td><td>\(phone)</td></tr>"
            }
            let phone: HTML = station.phone.map { " <a href=\"tel:\($0)\" class=\"nowrap\">\($0)</a>" } ?? .empty
            return """
                <h3>\(station.name)\(phone)</h3>
                <div class="table-wrap"><table><thead><tr><th>\(web.t("警务室", "Police office"))</th><th>\(web.t("服务社区/村", "Communities"))</th>
                <th>\(web.t("电话", "Phone"))</th></tr></thead><tbody>\(rows)</tbody></table></div>
                """
        }
        return Layout.page(
            web, title: web.t("首页", "Home"),
            """
            <div class="emergency" role="note"><strong>\(Layout.with110(web.t("紧急情况请立即拨打 110", "Emergency? Call 110 now.")))</strong><br>
            \(web.t("这里不受理正在发生的警情，网上反映不能代替报警。",
                "This square does not take emergencies: writing here is no substitute for calling the police."))</div>
            <h1>\(web.t("警务e广场：您说，我们办，件件有回音", "Police e-Square: you speak, we act, and every item gets an answer"))</h1>
            <p>\(web.t(
                "对社区治安、民警工作、办事服务有意见、建议、求助或投诉，都可以在这里告诉我们。"
                    + "每一件都会登记、派给负责的单位、限期答复，答复后我们会回访您是否满意；不满意的，督办到满意为止。",
                "Tell us your opinions, suggestions, requests for help or complaints about safety in your community, police work or "
                    + "services. Every item is registered, sent to the responsible unit and answered within a deadline; afterwards we "
                    + "call you back to ask whether you are satisfied, and if you are not, the item is supervised until you are."))</p>
            <div class="grid actions-home">
            <a class="big" href="/submit"><strong>\(web.t("我要反映", "Submit"))\
            </strong>\(web.t("提交意见建议、求助、投诉、举报或表扬", "an opinion, request, complaint, tip-off or praise"))</a>
            <a class="big" href="/lookup"><strong>\(web.t("查询进度", "Look up"))\
            </strong>\(web.t("凭查询号和查询密码查看办理过程和答复", "follow your item and read the reply with its number and PIN"))</a>
            <a class="big" href="/results"><strong>\(web.t("办理公开", "Results"))\
            </strong>\(web.t("各派出所的回复率、办结率、满意率", "each station's reply, closure and satisfaction rates"))</a>
            </div>
            <h2>\(web.t("社区警务室联系方式", "Community police offices"))</h2>
            \(offices)
            """)
    }
}

extension SubmitModel {
    func render(_ web: WebRequest) -> HTML {
        staff
            ? Layout.page(
                web, title: web.t("登记事项", "Register an item"), staff: true,
                "<h1>\(web.t("登记事项", "Register an item"))</h1>\(form.render(action: "/staff/register"))")
            : Layout.page(
                web, title: web.t("我要反映", "Submit"),
                """
                <h1>\(web.t("我要反映", "Tell the police"))</h1>
                <p class="emergency-note">\(Layout.with110(web.t("正在发生的危险，请立即拨打 110。",
                    "If someone is in danger right now, call 110.")))</p>
                \(form.render(action: "/submit"))
                """)
    }
}

extension ConfirmationModel {
    func render(_ web: WebRequest) -> HTML {
        let item = submitted.item
        let emergency: HTML =
            item.emergency
            ? """
            <div class="emergency" role="alert"><strong>\(Layout.with110(web.t("如果危险正在发生，请立即拨打 110！",
                "If this is happening now, call 110 immediately!")))</strong>\
            <br>
            \(web.lang == .zh ? Emergency.adviceZh : Emergency.adviceEn)\
            <br>\(web.t("您的内容已标记并推送给指挥中心。", "Your text has been flagged to the command centre."))</div>
            """ : .empty
        return Layout.page(
            web, title: web.t("已受理", "Received"), staff: staff,
            """
            \(emergency)
            <h1>\(web.t("已受理，请记下查询号和查询密码", "Received. Write down your number and PIN"))</h1>
            <div class="ticket">
            <div class="label">\(web.t("查询号", "Tracking number"))</div><div class="big" id="tracking-number">\(item.number)</div>
            <div class="label">\(web.t("查询密码", "PIN"))</div><div class="big" id="tracking-pin">\(submitted.pin)</div>
            </div>
            <p>\(web.t(
                "请抄写或打印保存。凭查询号和查询密码可以随时查看办理进度、答复内容和回访结果；查询密码不会再次显示。",
                "Copy or print them. With the number and the PIN you can follow the progress, read the reply and the callback at any "
                    + "time; the PIN will not be shown again."))</p>
            <p class="no-print">\(Layout.printLink(web))
            <a class="button secondary" href="/lookup?number=\(item.number)">\(web.t("查询进度", "Look up"))</a></p>
            """)
    }
}

extension LookupModel {
    func render(_ web: WebRequest) -> HTML {
        Layout.page(
            web, title: web.t("查询进度", "Look up"),
            """
            <h1>\(web.t("查询办理进度", "Follow your item"))</h1>
            <form method="post" action="/lookup" class="card">\(web.csrfField)
            \(Layout.errorBox(error))
            <label for="f-number">\(web.t("查询号或回音卡号", "Tracking number or echo card number")) \
            <span class="hint">\(web.t("如 KFQ-2026-004213 或 KFQ-H000123", "e.g. KFQ-2026-004213 or KFQ-H000123"))</span></label>
            <input type="text" id="f-number" name="number" value="\(number)" autocomplete="off" autocapitalize="characters">
            <label for="f-pin">\(web.t("查询密码（6 位数字）", "PIN (6 digits)"))</label>
            <input type="password" id="f-pin" name="pin" inputmode="numeric" autocomplete="current-password" maxlength="6">
            <button type="submit">\(web.t("查询", "Look up"))</button>
            </form>
            """)
    }
}

extension PublicItemModel {
    func render(_ web: WebRequest) -> HTML {
        let steps: [HTML] = events.filter(\.kind.isPublic).map { event in
            let note = PublicItemView.note(of: event, english: web.lang == .en) { catalogue.unitName($0) }
            let unit: HTML = event.actorUnitID.map { " · \(catalogue.unitName($0))" } ?? .empty
            return """
                <li><div class="when">\(Layout.time(event.at, web))\(unit)</div>
                <div><strong>\(web.lang == .zh ? event.kind.nameZh : event.kind.nameEn)</strong> \(Layout.status(event.status, web))</div>
                \(note.map { "<div>\($0)</div>" as HTML })</li>
                """
        }
        var reply: HTML = .empty
        if let outcome = item.replyOutcome {
            reply = """
                <div class="card"><h2>\(web.t("答复", "Reply"))</h2>
                <p><strong>\(web.lang == .zh ? outcome.nameZh : outcome.nameEn)</strong> · \(Layout.time(item.repliedAt, web))</p>
                <p>\(item.replyText)</p>
                \(item.publicReason.map { "<p><strong>\(web.t("原因：", "Reason: "))</strong>\($0)</p>" as HTML })</div>
                """
        }
        let callback: HTML =
            item.callbackResult.map {
                "<p><strong>\(web.t("回访结果：", "Callback: "))</strong>\(web.lang == .zh ? $0.nameZh : $0.nameEn)</p>"
            } ?? .empty
        return Layout.page(
            web, title: item.number,
            """
            <h1>\(web.t("事项", "Item")) <span id="item-number">\(item.number)</span></h1>
            <div class="card"><dl class="facts">
            <dt>\(web.t("状态", "Status"))</dt><dd id="item-status">\(Layout.status(item.status, web))</dd>
            <dt>\(web.t("类型", "Kind"))</dt><dd>\(web.lang == .zh ? item.kind.nameZh : item.kind.nameEn)</dd>
            <dt>\(web.t("类别", "Category"))</dt><dd>\(catalogue.categoryName(item.category, web))</dd>
            <dt>\(web.t("地点", "Place"))</dt><dd>\(catalogue.placeName(item.placeID))</dd>
            <dt>\(web.t("提交时间", "Submitted"))</dt><dd>\(Layout.time(item.createdAt, web))</dd>
            </dl>\(callback)</div>
            <div class="card"><h2>\(web.t("您反映的内容", "What you wrote"))</h2><p class="item-text">\(item.text)</p></div>
            \(reply)
            <div class="card"><h2>\(web.t("办理过程", "Timeline"))</h2><ol class="timeline">\(steps)</ol></div>
            """)
    }
}
