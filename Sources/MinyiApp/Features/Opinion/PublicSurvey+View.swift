import Foundation
import MinyiCore
import MinyiStorage

/// The survey's web link: a resident with a code from a slip answers the five questions, anonymously.
struct PublicSurveyModel: Sendable {
    var campaign: SurveyCampaign
    var form: Form?
    /// What is wrong, by field, in the page's language.
    var errors: [String: String] = [:]
    var done = false

    func render(_ web: WebRequest) -> HTML {
        guard !done else {
            return Layout.page(
                web, title: web.t("谢谢", "Thank you"),
                """
                <h1>\(web.t("谢谢您的评价", "Thank you"))</h1>
                <p class="alert ok" id="survey-done">\(web.t("您的回答已记录。答卷不保存您的身份。",
                    "Your answers are recorded, without who you are."))</p>
                <p><a href="/opinion">\(web.t("查看民意评警结果", "See the ratings"))</a></p>
                """)
        }
        func value(_ name: String) -> String { form?.raw(name) ?? "" }
        func fieldClass(_ name: String) -> String { errors[name] == nil ? "field" : "field field-error" }
        func message(_ name: String) -> HTML { errors[name].map { "<p class=\"msg\" id=\"err-\(name)\">\($0)</p>" } ?? .empty }
        func yesNo(_ name: String, _ question: String) -> HTML {
            """
            <fieldset class="\(fieldClass(name)) outcomes"><legend>\(question)</legend>\
            <label><input type="radio" name="\(name)" value="yes"\(attr: "checked", when: value(name) == "yes")> \(web.t("是", "Yes"))</label>\
            <label><input type="radio" name="\(name)" value="no"\(attr: "checked", when: value(name) == "no")> \(web.t("否", "No"))</label>\
            \(message(name))</fieldset>
            """
        }
        func scale(_ name: String, _ question: String) -> HTML {
            let radios: [HTML] = (1...5).map { n in
                "<label><input type=\"radio\" name=\"\(name)\" value=\"\(n)\"\(attr: "checked", when: value(name) == String(n))> \(n)</label>"
            }
            return """
                <fieldset class="\(fieldClass(name)) outcomes"><legend>\(question) <span class="hint">\(web.t("1 最差，5 最好", "1 worst, 5 best"))\
                </span>\
                </legend>\(radios)\(message(name))</fieldset>
                """
        }
        let results: [HTML] = [CallbackResult.satisfied, .basicallySatisfied, .dissatisfied].map { r in
            """
            <label><input type="radio" name="satisfaction" value="\(r.rawValue)"\(attr: "checked", when: value("satisfaction") == r.rawValue)> \
            \(web.lang == .zh ? r.nameZh : r.nameEn)</label>
            """
        }
        return Layout.page(
            web, title: campaign.title,
            """
            <h1>\(campaign.title)</h1>
            <form method="post" action="/survey/\(campaign.id.rawValue)" class="card" id="survey">\(web.csrfField)
            \(FormSheet(web, errors: errors).summary)\(errors["answers"].map { Layout.errorBox($0) } ?? .empty)
            <p class="hint">\(web.t("匿名问卷：只保存回答，不保存您的身份；问卷码只能用一次。",
                "Anonymous: only the answers are kept, never who you are; a code works once."))</p>
            <div class="\(fieldClass("code"))"><label for="f-code">\(web.t("问卷码", "Your code"))</label>\
            <input type="text" id="f-code" name="code" value="\(value("code"))" autocomplete="off" autocapitalize="characters">\
            \(message("code"))</div>
            \(yesNo("saw_police", web.t("本月您在社区见到民警巡逻吗？", "Have you seen police patrol here this month?")))
            \(yesNo("knows_officer", web.t("您知道社区民警的姓名吗？", "Do you know your community officer's name?")))
            \(scale("attitude", web.t("民警的服务态度", "The officers' attitude")))
            \(scale("safety", web.t("您在社区的安全感", "How safe you feel here")))
            <fieldset class="\(fieldClass("satisfaction")) outcomes"><legend>\(web.t("总体满意度", "Overall"))</legend>\(results)\
            \(message("satisfaction"))</fieldset>
            <div class="\(fieldClass("comment"))"><label for="f-comment">\(web.t("意见建议（选填）", "Anything to add (optional)"))</label>\
            <textarea id="f-comment" name="comment" rows="3">\(value("comment"))</textarea>\(message("comment"))</div>
            <button type="submit">\(web.t("提交", "Send"))</button></form>
            """)
    }

    /// The sheet of codes to cut and hand to sampled households.
    static func renderCodes(_ codes: [String], campaign: SurveyCampaign, unitName: String, _ web: WebRequest) -> HTML {
        let cards: [HTML] = codes.map { code in
            """
            <div class="echo-card"><p>\(campaign.title) · \(unitName)</p><p class="serial">\(code.prefix(4))-\(code.dropFirst(4))</p>\
            <p class="hint">\(web.t("请访问 /survey/\(campaign.id.rawValue) 输入问卷码", "Answer at /survey/\(campaign.id.rawValue)"))</p></div>
            """
        }
        return Layout.page(
            web, title: web.t("问卷码", "Survey codes"), staff: true,
            """
            <h1 class="no-print">\(web.t("问卷码", "Survey codes")) (\(codes.count))</h1>
            <p class="hint no-print">\(web.t("这些问卷码只显示这一次，请现在打印。", "These codes are shown this once: print them now."))\
             \(Layout.printLink(web))</p>
            <div class="cards-sheet" id="codes">\(cards)</div>
            """)
    }
}
