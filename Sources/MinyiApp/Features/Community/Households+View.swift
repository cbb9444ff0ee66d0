import Foundation
import MinyiCore

extension HouseholdListModel {
    func render(_ web: WebRequest) -> HTML {
        let rows: [HTML] = households.map { stored in
            let household = stored.household
            let tags = household.tags.sorted().map { "<span class=\"badge\">\(web.lang == .zh ? $0.nameZh : $0.nameEn)</span>" as HTML }
            let head = household.members.first.map { $0.name } ?? "—"
            return """
                <tr><td><a href="/staff/households/\(household.id.rawValue)">\(household.address)</a></td>\
                <td class="hide-narrow">\(catalogue.placeName(household.unitID))</td><td>\(head)</td><td>\(tags)</td>\
                <td>\(stored.lastVisitAt.map { Format.date($0) } ?? web.t("从未走访", "never"))</td></tr>
                """
        }
        let communityOptions: [HTML] = communities.map {
            "<option value=\"\($0.id.rawValue)\"\(attr: "selected", when: $0.id == filter.unit)>\(catalogue.placeName($0.id))</option>"
        }
        let tagOptions: [HTML] = HouseholdTag.allCases.map {
            "<option value=\"\($0.rawValue)\"\(attr: "selected", when: $0 == filter.tag)>\(web.lang == .zh ? $0.nameZh : $0.nameEn)</option>"
        }
        let previous: HTML =
            filter.offset > 0
            ? "<a href=\"/staff/households\(query(offset: max(0, filter.offset - Self.pageSize)))\">\(web.t("上一页", "Previous"))</a>" : .empty
        let next: HTML =
            households.count == Self.pageSize
            ? "<a href=\"/staff/households\(query(offset: filter.offset + Self.pageSize))\">\(web.t("下一页", "Next"))</a>" : .empty
        let pager: HTML = "<p class=\"pager\">\(previous)\(next)</p>"
        return Layout.page(
            web, title: web.t("住户", "Households"), staff: true,
            """
            <h1>\(web.t("住户", "Households"))</h1>
            <form method="get" action="/staff/households" class="card filters">
            <div><label for="f-unit">\(web.t("社区/村", "Community"))</label><select id="f-unit" name="unit">\
            <option value="">\(web.t("全部", "All"))</option>\(communityOptions)</select></div>
            <div><label for="f-tag">\(web.t("走访对象类别", "Group"))</label><select id="f-tag" name="tag">\
            <option value="">\(web.t("全部", "All"))</option>\(tagOptions)</select></div>
            <div><label class="check"><input type="checkbox" name="unvisited" value="1"\(attr: "checked", when: notThisYear)>\
            \(web.t("今年未走访", "Not visited this year"))</label></div>
            <div class="actions"><button type="submit">\(web.t("筛选", "Filter"))</button></div>
            </form>
            \(households.isEmpty ? "<p class=\"card\">\(web.t("没有符合条件的住户。", "No households match."))</p>" as HTML : """
                <div class="table-wrap"><table id="households"><thead><tr><th>\(web.t("地址", "Address"))</th>\
                <th class="hide-narrow">\(web.t("社区", "Community"))</th><th>\(web.t("户主", "Head"))</th><th>\(web.t("类别", "Groups"))</th>\
                <th>\(web.t("上次走访", "Last visit"))</th></tr></thead><tbody>\(rows)</tbody></table></div>
                """)
            \(pager)
            """)
    }
}
