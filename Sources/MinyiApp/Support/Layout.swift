import Foundation
import MinyiCore

/// The page shell: header with the language switch and, for staff, who is logged in; the navigation; the footer.
enum Layout {
    struct NavLink: Sendable {
        /// Where the link stands among the others (each capability declares its own, see `Feature`).
        var order: Int = 0
        var path: String
        var zh: String
        var en: String
        /// Who sees the link: nil on the residents' square.
        var permission: Permission?
    }

    static let publicLinks: [NavLink] = [
        NavLink(path: "/", zh: "首页", en: "Home", permission: nil),
        NavLink(path: "/submit", zh: "我要反映", en: "Submit", permission: nil),
        NavLink(path: "/lookup", zh: "查询进度", en: "Look up", permission: nil),
        NavLink(path: "/results", zh: "办理公开", en: "Results", permission: nil),
    ]

    static func page(_ web: WebRequest, title: String, staff: Bool = false, wide: Bool = false, _ content: HTML) -> HTML {
        // `?print=1`: the same page made for paper (where the print link leads when no script runs).
        if web.isPrint {
            let back = web.target.replacingOccurrences(of: "?print=1&", with: "?").replacingOccurrences(of: "?print=1", with: "")
                .replacingOccurrences(of: "&print=1", with: "")
            return printPage(web, title: title, back: back, content)
        }
        let links: [NavLink]
        if staff, let actor = web.actor {
            links = web.navigation.filter { $0.permission?.isHeld(by: actor) ?? true }
        } else {
            links = publicLinks + web.publicNavigation
        }
        let current = web.target.split(separator: "?").first.map(String.init) ?? "/"
        let nav: [HTML] = links.map { link in
            let active = current == link.path || (link.path != "/" && current.hasPrefix(link.path + "/"))
            return "<a href=\"\(link.path)\"\(HTML.trusted(active ? " aria-current=\"page\"" : ""))>\(web.t(link.zh, link.en))</a>"
        }
        let other: Lang = web.lang == .zh ? .en : .zh
        let back = web.target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "%2F"
        let langSwitch: HTML =
            "<a class=\"lang\" href=\"/lang?to=\(other.rawValue)&amp;back=\(back)\" lang=\"\(other.htmlCode)\">"
            + "\(other == .en ? "English" : "中文")</a>"
        var who: HTML = .empty
        if staff, let actor = web.actor {
            let roles = actor.officer.roles.sorted().map { web.lang == .zh ? $0.nameZh : $0.nameEn }.joined(separator: web.lang == .zh ? "、" : ", ")
            who = """
                <div class="who"><span class="who-name">\(actor.officer.name)</span> <span class="who-unit">\(actor.unit.name)</span>
                <span class="who-roles">\(roles)</span>
                <form method="post" action="/staff/logout" class="inline">\(web.csrfField)\
                <button type="submit" class="link">\(web.t("退出", "Log out"))</button></form></div>
                """
        }
        let brand = staff ? web.t("民意警务 · 工作台", "Minyi · Staff console") : web.t("警务e广场", "Police e-Square")
        let home = staff ? "/staff" : "/"
        let dutyNote = web.t("居民个人信息仅限履职使用，每次查看均记录在案。", "Residents' personal data is for duty use only; every look is logged.")
        let footer: HTML =
            staff
            ? "<footer><p>\(dutyNote)</p></footer>"
            : """
            <footer><p class="emergency-note">\(with110(web.t("紧急情况请立即拨打 110", "In an emergency call 110 now")))</p>
            <p><a href="/staff/login">\(web.t("民警登录", "Staff login"))</a></p></footer>
            """
        return """
            <html lang="\(web.lang.htmlCode)"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · \(brand)</title>
            <link rel="stylesheet" href="/assets/minyi.css">
            <script src="/assets/minyi.js" defer></script>
            </head><body class="\(staff ? "staff" : "public")\(wide ? " wide" : "")">
            <a class="skip" href="#main">\(web.t("跳到正文", "Skip to content"))</a>
            <header class="top"><div class="bar"><a class="brand" href="\(home)">\(brand)</a>\(langSwitch)</div>\(who)
            <nav aria-label="\(web.t("主导航", "Main"))">\(nav)</nav></header>
            <main id="main">\(content)</main>
            \(footer)
            </body></html>
            """
    }

    /// A page made for paper: no header, navigation or footer; A4 (`landscape` turns it); a print button that works with
    /// JavaScript, and a way back that works without.
    static func printPage(_ web: WebRequest, title: String, back: String, landscape: Bool = false, _ content: HTML) -> HTML {
        """
        <html lang="\(web.lang.htmlCode)"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title)</title>
        <link rel="stylesheet" href="/assets/minyi.css">
        <script src="/assets/minyi.js" defer></script>
        </head><body class="print-page\(landscape ? " landscape" : "")">
        <main id="main">
        <p class="no-print print-tools"><a href="\(back)">\(web.t("← 返回", "← Back"))</a> \
        <button type="button" data-print hidden>\(web.t("打印", "Print"))</button> \
        <span class="hint">\(web.t("用浏览器的“打印”（Ctrl+P）打印本页，纸张 A4\(landscape ? "横向" : "")。",
            "Print this page with the browser's Print (Ctrl+P) on A4\(landscape ? ", landscape" : "")."))</span></p>
        \(content)
        </main>
        </body></html>
        """
    }

    /// A phone number one touch dials; a masked one (138****5678) stays text.
    static func phoneLink(_ number: String) -> HTML {
        number.contains("*") ? "<span class=\"nowrap\">\(number)</span>" : "<a href=\"tel:\(number)\" class=\"nowrap\">\(number)</a>"
    }

    /// The print control: with a script it prints the page; without one it opens the page made for paper.
    static func printLink(_ web: WebRequest) -> HTML {
        let href = web.target + (web.target.contains("?") ? "&" : "?") + "print=1"
        return "<a class=\"button secondary no-print\" href=\"\(href)\" data-print>\(web.t("打印", "Print"))</a>"
    }

    /// A status shown in colour and in words.
    static func status(_ status: ItemStatus, _ web: WebRequest) -> HTML {
        "<span class=\"badge st-\(status.rawValue)\">\(web.lang == .zh ? status.nameZh : status.nameEn)</span>"
    }

    static func time(_ date: Date?, _ web: WebRequest) -> HTML {
        guard let date else { return "—" }
        return "<time datetime=\"\(iso(date))\">\(Format.dateTime(date))</time>"
    }

    static func iso(_ date: Date) -> String { date.formatted(.iso8601) }

    /// A sentence with "110" in it, the number a `tel:` link a phone dials with one touch.
    static func with110(_ text: String) -> HTML {
        let parts: [HTML] = text.components(separatedBy: "110").map { "\($0)" }
        return parts.joined(separator: "<a href=\"tel:110\" class=\"nowrap\">110</a>")
    }

    static func errorBox(_ message: String?) -> HTML {
        guard let message else { return .empty }
        // A message that lists several problems shows one a line.
        let lines: [HTML] = message.split(separator: "\n").map { "\(String($0))" }
        return "<div class=\"alert error\" role=\"alert\">\(lines.joined(separator: "<br>"))</div>"
    }

    static func noticeBox(_ message: String?, more: HTML? = nil) -> HTML {
        guard let message else { return .empty }
        return "<div class=\"alert ok\" role=\"status\">\(message)\(more)</div>"
    }
}

/// Dates and numbers as the bureau reads them (China Standard Time).
enum Format {
    static func dateTime(_ date: Date) -> String {
        let c = Deadlines.calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    static func date(_ date: Date) -> String {
        let c = Deadlines.calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    /// Parses `2026-11-23` as the start of that day in China Standard Time.
    static func parseDay(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (2000...2100).contains(parts[0]), (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        return Deadlines.calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }

    /// `2026-11-23T20:30` (a `datetime-local` field) in Beijing time.
    static func parseLocalTime(_ text: String) -> Date? {
        let parts = text.split(separator: "T")
        guard parts.count == 2, let day = Format.parseDay(String(parts[0])) else { return nil }
        let hm = parts[1].split(separator: ":")
        guard hm.count >= 2, let h = Int(hm[0]), let m = Int(hm[1]), (0...23).contains(h), (0...59).contains(m) else { return nil }
        return day.addingTimeInterval(TimeInterval(h * 3600 + m * 60))
    }

    /// A moment as a `datetime-local` value in Beijing time.
    static func localTime(_ date: Date) -> String { Format.dateTime(date).replacingOccurrences(of: " ", with: "T") }
}
