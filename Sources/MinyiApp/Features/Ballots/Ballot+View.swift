import Foundation
import MinyiCore
import MinyiStorage

extension BallotListModel {
    func render(_ web: WebRequest) -> HTML {
        let rows: [HTML] = campaigns.map { campaign in
            let phase = campaign.phase(at: now)
            return """
                <li class="card"><h2><a href="/ballots/\(campaign.id.rawValue)">\(campaign.title)</a></h2>
                <p><span class="badge phase-\(phase.rawValue)">\(web.lang == .zh ? phase.nameZh : phase.nameEn)</span> \
                \(Format.dateTime(campaign.opensAt)) — \(Format.dateTime(campaign.closesAt))</p></li>
                """
        }
        return Layout.page(
            web, title: web.t("十件实事票选", "Project ballot"),
            """
            <h1>\(web.t("惠民十件实事票选", "Choose the police's projects of the year"))</h1>
            <p>\(web.t("每年由群众投票选出公安机关要办的惠民实事，选出的项目全程公开办理进度。每人一票，可网上投票，也可在社区投纸质选票。",
                "Each year residents choose the projects the police will deliver, and follow their progress in public. One ballot each, "
                    + "online or on paper in your community."))</p>
            \(rows.isEmpty ? "<p class=\"card\">\(web.t("暂无票选。", "No ballot yet."))</p>" as HTML
                : "<ul class=\"plain\" id=\"ballots\">\(rows)</ul>")
            <p><a href="/ballots/receipt">\(web.t("凭回执码查询选票是否计入", "Check that your ballot was counted"))</a></p>
            """)
    }
}

extension BallotModel {
    func render(_ web: WebRequest) -> HTML {
        let body: HTML
        switch step {
        case .verify: body = phase == .open ? verifyForm(web) : .empty
        case .vote(let token): body = voteForm(web, token: token)
        case .receipt(let receipt): body = receiptCard(web, receipt)
        }
        let window = """
            <p class="muted">\(web.lang == .zh ? phase.nameZh : phase.nameEn) · \(web.t("投票时间",
                "Voting")) \(Format.dateTime(campaign.opensAt)) — \
            \(Format.dateTime(campaign.closesAt)) · \(web.t("每人最多选 \(campaign.maxChoices) 项", "choose up to \(campaign.maxChoices)"))</p>
            """ as HTML
        let showList: Bool = if case .vote = step { false } else { true }
        return Layout.page(
            web, title: campaign.title,
            """
            <h1>\(campaign.title)</h1>
            \(window)
            \(phase == .upcoming ? "<p class=\"card\">\(web.t("投票尚未开始。", "Voting has not opened yet."))</p>" as HTML : .empty)
            \(body)
            \(result.map { results(web, $0) } ?? .empty)
            \(showList && result == nil ? projectList(web) : .empty)
            """)
    }

    func projectList(_ web: WebRequest) -> HTML {
        let items: [HTML] = candidates.map { candidate in
            """
            <li><strong>\(candidate.number). \(candidate.title)</strong> <span class="muted">\(catalogue.unitName(candidate.unitID))</span>\
            \(candidate.summary.isEmpty ? .empty : "<div>\(candidate.summary)</div>" as HTML)</li>
            """
        }
        return "<div class=\"card\"><h2>\(web.t("候选项目", "The projects"))</h2><ol class=\"plain\" id=\"candidates\">\(items)</ol></div>"
    }

    func verifyForm(_ web: WebRequest) -> HTML {
        """
        <form method="post" action="/ballots/\(campaign.id.rawValue)/verify" class="card" id="verify">\(web.csrfField)
        <h2>\(web.t("第一步：身份验证", "Step 1: who you are"))</h2>
        \(Layout.errorBox(error?.message))\(FormSheet(web, errors: errors).summary)
        <p class="hint">\(web.t("身份证号只用于保证每人一票：系统只保存其加密摘要，不保存号码，也无法把选票与您对应。",
            "Your ID number only makes sure everyone votes once: it is kept as a keyed digest, never as the number, and your ballot cannot "
                + "be traced back to you."))</p>
        <div class="\(fieldClass("id_number"))"><label for="f-id">\(web.t("身份证号", "ID number"))</label>\
        <input type="text" id="f-id" name="id_number" value="\(value("id_number"))" autocomplete="off" maxlength="18" inputmode="text">\
        \(message("id_number"))</div>
        <div class="\(fieldClass("phone"))"><label for="f-phone">\(web.t("手机号码（接收验证码）", "Mobile number (for the code)"))</label>\
        <input type="tel" id="f-phone" name="phone" value="\(value("phone"))" autocomplete="tel" inputmode="numeric" maxlength="11">\
        \(message("phone"))</div>
        <button type="submit">\(web.t("获取验证码", "Send me a code"))</button></form>
        """
    }

    func voteForm(_ web: WebRequest, token: String) -> HTML {
        let chosen = Set(form?.all("choices") ?? [])
        let boxes: [HTML] = candidates.map { candidate in
            """
            <label class="check choice"><input type="checkbox" name="choices" value="\(candidate.id.rawValue)"\
            \(attr: "checked", when: chosen.contains(candidate.id.rawValue))> <span><strong>\(candidate.number). \(candidate.title)</strong>\
            \(candidate.summary.isEmpty ? .empty : "<span class=\"hint block\">\(candidate.summary)</span>" as HTML)</span></label>
            """
        }
        return """
            <form method="post" action="/ballots/\(campaign.id.rawValue)/vote" class="card" id="vote">\(web.csrfField)
            <input type="hidden" name="token" value="\(token)">
            <h2>\(web.t("第二步：选择项目并提交", "Step 2: choose and cast"))</h2>
            \(Layout.errorBox(error?.message))
            <div class="\(fieldClass("code"))"><label for="f-code">\(web.t("短信验证码", "Code from the text message"))</label>\
            <input type="text" id="f-code" name="code" value="\(value("code"))" autocomplete="one-time-code" inputmode="numeric" maxlength="6"></div>
            <fieldset class="\(fieldClass("choices"))"><legend>\(web.t("最多选择 \(campaign.maxChoices) 项", "Choose up to \(campaign.maxChoices)"))\
            </legend>\(boxes)</fieldset>
            <button type="submit">\(web.t("提交选票", "Cast my ballot"))</button></form>
            """
    }

    func receiptCard(_ web: WebRequest, _ receipt: String) -> HTML {
        """
        <div class="card" id="receipt-card"><h2>\(web.t("投票成功", "Your ballot is cast"))</h2>
        <p>\(web.t("您的回执码：", "Your receipt code:"))</p><div class="ticket"><div class="big" id="receipt">\
        \(BallotRules.formatted(receipt: receipt))</div></div>
        <p>\(web.t("请抄下回执码。凭它可以查询您的选票已计入，但它不显示您选了什么，任何人（包括您自己）都无法用它证明投票内容。",
            "Write the code down. It shows that your ballot was counted; it does not show what you chose, so nobody, you included, can use it "
                + "to prove how you voted."))</p>
        <p><a class="button secondary" href="/ballots/receipt">\(web.t("查询回执", "Check a receipt"))</a></p></div>
        """
    }

    func results(_ web: WebRequest, _ result: BallotResult) -> HTML {
        let ranked = result.counts.sorted { ($0.votes, -$0.candidate.number) > ($1.votes, -$1.candidate.number) }
        let chosen = Set(result.chosen(min(10, candidates.count)).map(\.id))
        let chart = Charts.horizontalBars(
            labels: ranked.map { "\($0.candidate.number). \($0.candidate.title)" }, values: ranked.map { Double($0.votes) },
            highlight: Set(ranked.indices.filter { chosen.contains(ranked[$0].candidate.id) }), title: web.t("各项目得票", "Votes per project"),
            unit: web.t(" 票", ""))
        let rows: [HTML] = ranked.enumerated().map { index, entry in
            """
            <tr\(HTML.trusted(chosen.contains(entry.candidate.id) ? " class=\"chosen\"" : ""))><td class="num">\(index + 1)</td>\
            <td>\(entry.candidate.number). \(entry.candidate.title)</td><td class="num">\(entry.votes)</td></tr>
            """
        }
        let online = result.turnout[.web] ?? 0
        let paper = result.turnout[.paper] ?? 0
        return """
            <div class="card" id="results"><h2>\(web.t("投票结果", "Results"))</h2>
            <p id="turnout">\(web.t("参与投票 \(result.participants) 人（网上 \(online)，纸质 \(paper)）",
                "\(result.participants) residents voted (\(online) online, \(paper) on paper)"))</p>
            \(chart)
            <div class="table-wrap"><table><thead><tr><th class="num">\(web.t("名次", "Rank"))</th><th>\(web.t("项目", "Project"))</th>\
            <th class="num">\(web.t("得票", "Votes"))</th></tr></thead><tbody>\(rows)</tbody></table></div></div>
            """
    }
}

extension ReceiptModel {
    func render(_ web: WebRequest, error: String? = nil) -> HTML {
        let answer: HTML
        if let counted {
            answer = """
                <div class="alert ok" role="status" id="receipt-result">\(web.t("这张选票已计入“\(counted.title)”。",
                    "This ballot was counted in “\(counted.title)”."))</div>
                """
        } else if checked {
            answer = """
                <div class="alert error" role="alert" id="receipt-result">\(web.t("没有找到这个回执码，请核对后再试。",
                    "No ballot has this receipt code; check it and try again."))</div>
                """
        } else {
            answer = .empty
        }
        return Layout.page(
            web, title: web.t("查询回执", "Check a receipt"),
            """
            <h1>\(web.t("查询选票回执", "Check that your ballot was counted"))</h1>
            \(answer)\(Layout.errorBox(error))
            <form method="post" action="/ballots/receipt" class="card">\(web.csrfField)
            <label for="f-receipt">\(web.t("回执码（12 位）", "Receipt code (12 characters)"))</label>
            <input type="text" id="f-receipt" name="receipt" value="\(typed)" autocomplete="off" autocapitalize="characters" maxlength="20">
            <button type="submit">\(web.t("查询", "Check"))</button></form>
            """)
    }
}
