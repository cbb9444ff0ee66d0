import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// Weekly bulletins (每周一汇总、通报): the list, a printable bulletin, its CSV.
extension WebController {

    /// `GET /staff/bulletins`
    @Sendable func bulletinList(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let actor = try context.staff()
        let weeks = try await bulletins.weeks()
        let model = BulletinListModel(weeks: weeks, mayIssue: Permission.issueBulletin.isHeld(by: actor))
        return WebSupport.page(model.render(web), web)
    }

    /// `POST /staff/bulletins`: issues last week's bulletin now (leaders, administrators), if not issued yet.
    @Sendable func issueBulletin(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let actor = try context.staff()
        _ = try await support.form(request, web)
        let week = Bulletin.previousWeek(before: now())
        let threshold = Double(try await organisation.setting("bulletin_threshold") { String(SQLBulletinStore.defaultThreshold) })
        let minimum = Int(try await organisation.setting("bulletin_minimum_items") { String(Bulletin.defaultMinimumItems) })
        _ = try await bulletins.issue(
            week: week, threshold: threshold ?? SQLBulletinStore.defaultThreshold, minimumItems: minimum ?? Bulletin.defaultMinimumItems, by: actor,
            at: now())
        return WebSupport.redirect("/staff/bulletins/\(Format.date(week.start))")
    }

    /// `GET /staff/bulletins/{week}` (`2026-11-16`, or `2026-11-16.csv` for the CSV), and `…/{week}/print` for paper.
    @Sendable func bulletinPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        var raw = context.parameters.get("week") ?? ""
        let csv = raw.hasSuffix(".csv")
        if csv { raw.removeLast(4) }
        guard let day = Format.parseDay(raw), let bulletin = try await bulletins.bulletin(weekStart: Bulletin.week(containing: day).start) else {
            throw AppError.notFound(web.t("没有这一周的通报。", "No bulletin for that week."))
        }
        if csv { return BulletinModel.csv(bulletin) }
        if let part = context.parameters.get("part") {
            guard part == "print", !csv else { throw AppError.notFound(web.t("没有这个页面。", "No such page.")) }
            return WebSupport.page(BulletinModel(bulletin: bulletin, sections: []).renderForPaper(web), web)
        }
        let sections = try await bulletinSections.render(week: (bulletin.weekStart, bulletin.weekEnd), for: try context.staff(), web)
        return WebSupport.page(BulletinModel(bulletin: bulletin, sections: sections).render(web), web)
    }
}
