import Foundation
import MinyiCore

extension DiaryModel {
    func render(_ web: WebRequest) -> HTML {
        let items: [HTML] = entries.map { entry in
            let visit = entry.visit
            return """
                <li><span class="when">\(Format.dateTime(visit.at))\(visit.night ? " · " + web.t("夜访", "night visit") : "") · \
                \(web.lang == .zh ? visit.outcome.nameZh : visit.outcome.nameEn)</span>
                <p><a href="/staff/households/\(visit.householdID.rawValue)">\(entry.address)</a> \
                <span class="muted">\(catalogue.placeName(visit.unitID))</span></p>
                \(visit.heard.map { "<p>\(web.t("群众反映：", "Heard: "))\($0)</p>" as HTML } ?? .empty)\
                \(visit.diary.map { "<p class=\"muted\">\($0)</p>" as HTML } ?? .empty)\
                \(visit.itemNumber.map { "<p><a href=\"/staff/items/\($0)\">\($0)</a></p>" as HTML } ?? .empty)</li>
                """
        }
        return Layout.page(
            web, title: web.t("民情日记", "Visit diary"), staff: true,
            """
            <h1>\(web.t("民情日记", "Visit diary")) · \(officer.name)</h1>
            \(items.isEmpty ? "<p class=\"card\">\(web.t("尚无走访记录。", "No visits yet."))</p>" as HTML
                : "<ul class=\"timeline\" id=\"diary\">\(items)</ul>")
            """)
    }
}
