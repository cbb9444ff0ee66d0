import Foundation
import MinyiCore
import MinyiStorage

/// What the search page shows: the words looked for and what was found, or why nothing could be.
struct SearchModel: Sendable {
    enum Kind: Sendable {
        case none, text, phone
    }
    var query: String
    var kind: Kind
    var results: ItemTableModel?
    var sheet: FormSheet
    /// Whether the officer may look a resident up by phone.
    var mayUsePhone: Bool
}

/// One page of the audit log, with the filters as typed and the officers' names.
struct AuditPageModel: Sendable {
    var entries: [AuditEntry]
    var officerNames: [Officer.ID: String]
    var next: AuditQuery.Cursor?
    var sheet: FormSheet
    /// The query string of the filters, for the next page's link.
    var filterQuery: String
}

extension WebController {
    /// What was typed, read as a tracking number or echo-card serial, a mobile number, or words.
    enum SearchQuery: Equatable {
        case number(String)
        case phone(String)
        case words(String)
        case empty

        init(_ raw: String) {
            let typed = raw.trimmed
            let compact = typed.filter { $0 != " " && $0 != "-" }
            let number = TrackingNumber.normalise(typed)
            if typed.isEmpty {
                self = .empty
            } else if TrackingNumber.isWellFormed(number) || SQLEchoCardStore.isSerial(number) {
                self = .number(number)
            } else if Contact.isMobileNumber(compact.hasPrefix("+86") ? String(compact.dropFirst(3)) : compact) {
                self = .phone(compact.hasPrefix("+86") ? String(compact.dropFirst(3)) : compact)
            } else {
                self = .words(typed)
            }
        }
    }

    func auditPageModel(query: [String: String], actor: Actor, web: WebRequest) async throws -> AuditPageModel {
        var check = Validator()
        var filter = AuditQuery(within: actor.isBureauWide ? nil : actor.jurisdiction, limit: 100)
        func text(_ name: String) -> String? {
            guard let raw = query[name]?.trimmed, !raw.isEmpty else { return nil }
            guard raw.count <= 200 else {
                check.fail(name, "最多 200 字 (at most 200 characters)")
                return nil
            }
            return raw
        }
        if let name = text("actor") {
            var found = try await organisation.officer(username: name)?.officer
            if found == nil { found = try await organisation.officer(Officer.ID(name)) }
            if let found { filter.actor = found.id } else { check.fail("actor", "没有这个民警账号 (no such officer)") }
        }
        filter.action = text("action")
        filter.target = text("target").map { TrackingNumber.isWellFormed(TrackingNumber.normalise($0)) ? TrackingNumber.normalise($0) : $0 }
        if let from = text("from") {
            if let day = Format.parseDay(from) { filter.from = day } else { check.fail("from", "日期格式应为 2026-11-30 (a date like 2026-11-30)") }
        }
        if let to = text("to") {
            if let day = Format.parseDay(to) {
                filter.to = day.addingTimeInterval(86400)
            } else {
                check.fail("to", "日期格式应为 2026-11-30 (a date like 2026-11-30)")
            }
        }
        if let raw = text("before") { filter.before = AuditQuery.Cursor(raw) }
        let values = Form(fields: query.mapValues { [$0] })
        let errors = ValidationErrors(check.errors).byField.mapValues { web.localized($0) }
        guard check.isEmpty else {
            return AuditPageModel(entries: [], officerNames: [:], next: nil, sheet: FormSheet(web, values: values, errors: errors), filterQuery: "")
        }
        let page = try await audit.entries(filter)
        var names: [Officer.ID: String] = [:]
        for id in Set(page.entries.compactMap(\.actorID)) {
            if let officer = try await organisation.officer(id) { names[id] = officer.name + " (" + officer.username + ")" }
        }
        var components = URLComponents()
        components.queryItems = query.filter { $0.key != "before" && !$0.value.isEmpty }.sorted { $0.key < $1.key }.map {
            URLQueryItem(name: $0.key, value: $0.value)
        }
        return AuditPageModel(
            entries: page.entries, officerNames: names, next: page.next, sheet: FormSheet(web, values: values),
            filterQuery: components.percentEncodedQuery ?? "")
    }
}
