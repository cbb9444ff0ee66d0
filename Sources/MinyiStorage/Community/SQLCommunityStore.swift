import Foundation
import MinyiCore
import SQLKit

/// A household as stored: with its community's path (for jurisdiction) and when it was last visited.
public struct StoredHousehold: Sendable, Hashable {
    public var household: Household
    public var unitPath: String
    public var lastVisitAt: Date?
}

/// One entry of a household's history: who changed what, when and why.
public struct HouseholdEvent: Sendable, Hashable {
    public var seq: Int
    public var kind: String
    public var at: Date
    public var actorID: Officer.ID?
    public var reason: String?
    public var detail: String?
}

/// Community policing (社区警务): households, the mandatory-visit rules, the visits they make due, and visits.
/// Every household an officer reads or changes, and every visit, is held to the officer's jurisdiction.
public struct SQLCommunityStore: Sendable {
    let database: any DatabaseBackend
    let newID: @Sendable () -> String

    /// The store over `database`. Items opened from visits and meetings are written through intake in the visit's or
    /// the meeting's own transaction, so it needs no item store.
    public init(database: any DatabaseBackend, newID: @escaping @Sendable () -> String = { RowID.make() }) {
        self.database = database
        self.newID = newID
    }

    /// What a new household or an edit says, checked.
    public struct HouseholdInput: Sendable, Hashable {
        public var unitID: PoliceUnit.ID
        public var address: String
        public var members: [HouseholdMember]
        public var tags: Set<HouseholdTag>
        public var officerID: Officer.ID?
        /// The household's key in the station's register, when imported from it (a second import skips it).
        public var registerKey: String?

        public init(
            unitID: PoliceUnit.ID, address: String, members: [HouseholdMember], tags: Set<HouseholdTag>, officerID: Officer.ID?,
            registerKey: String? = nil
        ) throws(ValidationError) {
            self.unitID = unitID
            self.address = try Household.checkedAddress(address)
            guard members.count <= Household.maxMembers else {
                throw .invalid(field: "members", message: "每户最多 \(Household.maxMembers) 人 (at most \(Household.maxMembers) members)")
            }
            self.members = members
            self.tags = tags
            self.officerID = officerID
            try ValidationError.checkPlain(registerKey, field: "register_key")
            self.registerKey = registerKey?.trimmed.isEmpty == true ? nil : registerKey?.trimmed
        }
    }

    // MARK: Households

    /// Adds a household in a community of the actor's jurisdiction; the first event says who and why.
    public func addHousehold(_ input: HouseholdInput, by actor: Actor?, reason: String, at now: Date) async throws -> StoredHousehold {
        let id = Household.ID(newID())
        return try await database.write { db in
            let unit = try await Self.community(input.unitID, for: actor, on: db)
            try await Self.checkOfficer(input.officerID, within: unit, on: db)
            if let key = input.registerKey,
                try await db.raw("SELECT id FROM households WHERE register_key = \(bind: key)").first() != nil
            {
                throw ValidationError.invalid(field: "register_key", message: "户籍登记号 \(key) 已存在 (already registered)")
            }
            return try await Self.insertHousehold(id, input, in: unit, by: actor, reason: reason, at: now, on: db)
        }
    }

    /// Writes a new household, its phones, its count and its first event (the caller has checked it).
    static func insertHousehold(
        _ id: Household.ID, _ input: HouseholdInput, in unit: PoliceUnit, by actor: Actor?, reason: String, at now: Date, on db: any SQLDatabase
    ) async throws -> StoredHousehold {
        try await db.raw(
            """
            INSERT INTO households (id, unit_id, unit_path, address, tags, members, officer_id, register_key, created_at, updated_at, version)
            VALUES (\(bind: id.rawValue), \(bind: unit.id.rawValue), \(bind: unit.path), \(bind: input.address), \(bind: Self.tagText(input.tags)), \
            \(bind: try Self.membersJSON(input.members)), \(bind: input.officerID?.rawValue), \(bind: input.registerKey), \
            \(bind: now.epochSeconds), \(bind: now.epochSeconds), 1)
            """
        ).run()
        try await Self.writePhones(of: id, input.members, on: db)
        try await VisitTallies.countHousehold(into: unit, from: nil, on: db)
        try await Self.addEvent(
            to: id, seq: 1, kind: "created", at: now, actor: actor, reason: reason, detail: Self.describe(input), on: db)
        let household = Household(
            id: id, unitID: unit.id, address: input.address, members: input.members, tags: input.tags, officerID: input.officerID, createdAt: now)
        return StoredHousehold(household: household, unitPath: unit.path, lastVisitAt: nil)
    }

    /// Changes a household (address, members, tags, officer, even its community within the jurisdiction), as one event
    /// that says who, when, why and what it was before.
    public func updateHousehold(
        _ id: Household.ID, _ input: HouseholdInput, by actor: Actor, reason: String, at now: Date
    ) async throws -> StoredHousehold {
        let reason = reason.trimmed
        guard !reason.isEmpty else { throw ValidationError.invalid(field: "reason", message: "请说明修改原因 (a reason is required)") }
        return try await database.write { db in
            guard let before = try await Self.household(id, on: db), actor.jurisdiction.contains(path: before.unitPath) else {
                throw StorageError.notFound(what: "住户", id: id.rawValue)
            }
            let unit = try await Self.community(input.unitID, for: actor, on: db)
            try await Self.checkOfficer(input.officerID, within: unit, on: db)
            let version = before.household.version + 1
            try await db.raw(
                """
                UPDATE households SET unit_id = \(bind: unit.id.rawValue), unit_path = \(bind: unit.path), address = \(bind: input.address), \
                tags = \(bind: Self.tagText(input.tags)), members = \(bind: try Self.membersJSON(input.members)), \
                officer_id = \(bind: input.officerID?.rawValue), updated_at = \(bind: now.epochSeconds), version = \(bind: version)
                WHERE id = \(bind: id.rawValue)
                """
            ).run()
            if unit.id != before.household.unitID {
                try await VisitTallies.countHousehold(into: unit, from: before.household.unitID, on: db)
            }
            try await db.raw("DELETE FROM household_phones WHERE household_id = \(bind: id.rawValue)").run()
            try await Self.writePhones(of: id, input.members, on: db)
            // Open due visits follow the household to its new community and officer.
            try await db.raw(
                """
                UPDATE due_visits SET unit_id = \(bind: unit.id.rawValue), unit_path = \(bind: unit.path), officer_id = \
                \(bind: input.officerID?.rawValue)
                WHERE household_id = \(bind: id.rawValue) AND status = 'open'
                """
            ).run()
            let was = try HouseholdInput(
                unitID: before.household.unitID, address: before.household.address, members: before.household.members.map(\.masked),
                tags: before.household.tags, officerID: before.household.officerID)
            var after = input
            after.members = input.members.map(\.masked)
            try await Self.addEvent(
                to: id, seq: version, kind: "updated", at: now, actor: actor, reason: reason,
                detail: "\(Self.describe(was)) → \(Self.describe(after))", on: db)
            var household = input.asHousehold(id: id, createdAt: before.household.createdAt)
            household.unitID = unit.id
            household.version = version
            return StoredHousehold(household: household, unitPath: unit.path, lastVisitAt: before.lastVisitAt)
        }
    }

    /// A household the actor may see (nil otherwise, as if it did not exist), members masked.
    public func household(_ id: Household.ID, for actor: Actor) async throws -> StoredHousehold? {
        try await database.read { db in
            guard var stored = try await Self.household(id, on: db), actor.jurisdiction.contains(path: stored.unitPath) else { return nil }
            stored.household = stored.household.masked
            return stored
        }
    }

    /// A household with its members in full, for a role that may read contacts; the look is written to the audit log
    /// in the same transaction.
    public func revealMembers(of id: Household.ID, by actor: Actor, purpose: String, at now: Date) async throws -> StoredHousehold {
        guard actor.officer.roles.contains(where: \.mayReadContact) else {
            throw AccessError.missingRole(needed: Set(Role.allCases.filter(\.mayReadContact)))
        }
        let auditID = newID()
        return try await database.write { db in
            guard let stored = try await Self.household(id, on: db), actor.jurisdiction.contains(path: stored.unitPath) else {
                throw StorageError.notFound(what: "住户", id: id.rawValue)
            }
            try await SQLAuditLog.record(
                on: db, id: auditID, at: now, actor: actor.officer.id, action: "household.read", target: id.rawValue, detail: purpose)
            return stored
        }
    }

    /// Filters for a list of households.
    public struct HouseholdFilter: Sendable, Hashable {
        public var unit: PoliceUnit.ID?
        public var tag: HouseholdTag?
        public var officer: Officer.ID?
        /// Only households not visited (met) since this moment.
        public var notVisitedSince: Date?
        public var limit: Int
        public var offset: Int

        public init(
            unit: PoliceUnit.ID? = nil, tag: HouseholdTag? = nil, officer: Officer.ID? = nil, notVisitedSince: Date? = nil, limit: Int = 50,
            offset: Int = 0
        ) {
            self.unit = unit
            self.tag = tag
            self.officer = officer
            self.notVisitedSince = notVisitedSince
            self.limit = limit
            self.offset = offset
        }
    }

    /// Households of the actor's jurisdiction (members masked), by community and in the order they were registered
    /// (the index's order, so a page costs the same at a million households).
    public func households(_ filter: HouseholdFilter, for actor: Actor) async throws -> [StoredHousehold] {
        try await database.read { db in
            var path = actor.jurisdiction.path
            if let unit = filter.unit {
                guard let chosen = try await SQLOrganisationStore.unit(on: db, id: unit), actor.jurisdiction.contains(chosen) else {
                    throw ValidationError.invalid(field: "unit", message: "单位 \(unit) 不在您的辖区 (not in your jurisdiction)")
                }
                path = chosen.path
            }
            var conditions: [SQLQueryString] = ["unit_path LIKE \(bind: path + "%")"]
            if let tag = filter.tag { conditions.append("tags LIKE \(bind: "%," + tag.rawValue + ",%")") }
            if let officer = filter.officer { conditions.append("officer_id = \(bind: officer.rawValue)") }
            if let since = filter.notVisitedSince {
                conditions.append("(last_visit_at IS NULL OR last_visit_at < \(bind: since.epochSeconds))")
            }
            let query =
                SQLQueryString("SELECT * FROM households WHERE ") + conditions.joined(separator: " AND ")
                + " ORDER BY unit_path, id LIMIT \(bind: max(1, min(500, filter.limit))) OFFSET \(bind: max(0, filter.offset))"
            return try await db.raw(query).all().map { row in
                var stored = try Self.decodeHousehold(row)
                stored.household = stored.household.masked
                return stored
            }
        }
    }

    /// A household's history, oldest first.
    public func events(of id: Household.ID, for actor: Actor) async throws -> [HouseholdEvent] {
        try await database.read { db in
            guard let stored = try await Self.household(id, on: db), actor.jurisdiction.contains(path: stored.unitPath) else { return [] }
            return try await db.raw("SELECT * FROM household_events WHERE household_id = \(bind: id.rawValue) ORDER BY seq").all().map { row in
                HouseholdEvent(
                    seq: try row.int("seq"), kind: try row.string("kind"), at: try row.date("at"),
                    actorID: try row.optionalString("actor_id").map { Officer.ID($0) }, reason: try row.optionalString("reason"),
                    detail: try row.optionalString("detail"))
            }
        }
    }

    // MARK: Helpers

    /// The community (or village) a household may be placed in by `actor`.
    static func community(_ id: PoliceUnit.ID, for actor: Actor?, on db: any SQLDatabase) async throws -> PoliceUnit {
        guard let unit = try await SQLOrganisationStore.unit(on: db, id: id) else {
            throw ValidationError.invalid(field: "unit", message: "未知的社区 \(id) (unknown community)")
        }
        guard unit.kind == .community else {
            throw ValidationError.invalid(field: "unit", message: "住户应属于社区或村，\(unit.name) 不是 (a household belongs to a community)")
        }
        if let actor, !actor.jurisdiction.contains(unit) {
            throw ValidationError.invalid(field: "unit", message: "社区 \(unit.name) 不在您的辖区 (not in your jurisdiction)")
        }
        return unit
    }

    /// The officer a household is assigned to must serve where the household is.
    static func checkOfficer(_ id: Officer.ID?, within unit: PoliceUnit, on db: any SQLDatabase) async throws {
        guard let id else { return }
        let path = try await unitPath(ofOfficer: id, field: "officer", on: db)
        guard unit.path.hasPrefix(path) else {
            throw ValidationError.invalid(field: "officer", message: "该民警不负责这个社区 (the officer does not serve this community)")
        }
    }

    /// The path of an active officer's unit; an unknown or inactive officer is an error on `field`.
    static func unitPath(ofOfficer id: Officer.ID, field: String, on db: any SQLDatabase) async throws -> String {
        guard
            let row = try await db.raw(
                "SELECT u.path FROM officers o JOIN units u ON u.id = o.unit_id WHERE o.id = \(bind: id.rawValue) AND o.active = 1"
            ).first()
        else { throw ValidationError.invalid(field: field, message: "未知的民警 \(id) (unknown officer)") }
        return try row.string("path")
    }

    static func household(_ id: Household.ID, on db: any SQLDatabase) async throws -> StoredHousehold? {
        try await db.raw("SELECT * FROM households WHERE id = \(bind: id.rawValue)").first().map(decodeHousehold)
    }

    static func decodeHousehold(_ row: any SQLRow) throws -> StoredHousehold {
        let members: [HouseholdMember]
        do {
            members = try JSONDecoder().decode([HouseholdMember].self, from: Data(try row.string("members").utf8))
        } catch {
            throw StorageError.corrupt("household members")
        }
        let tags = try row.string("tags").split(separator: ",").map { part -> HouseholdTag in
            guard let tag = HouseholdTag(rawValue: String(part)) else { throw StorageError.corrupt("household tag \(part)") }
            return tag
        }
        let household = Household(
            id: .init(try row.string("id")), unitID: .init(try row.string("unit_id")), address: try row.string("address"), members: members,
            tags: Set(tags), officerID: try row.optionalString("officer_id").map { Officer.ID($0) }, createdAt: try row.date("created_at"),
            version: try row.int("version"))
        return StoredHousehold(household: household, unitPath: try row.string("unit_path"), lastVisitAt: try row.optionalDate("last_visit_at"))
    }

    static func tagText(_ tags: Set<HouseholdTag>) -> String {
        tags.isEmpty ? "" : "," + tags.sorted().map(\.rawValue).joined(separator: ",") + ","
    }

    static func membersJSON(_ members: [HouseholdMember]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(members), as: UTF8.self)
    }

    static func writePhones(of id: Household.ID, _ members: [HouseholdMember], on db: any SQLDatabase) async throws {
        for phone in Set(members.compactMap(\.phone)) {
            try await db.raw("INSERT INTO household_phones (phone, household_id) VALUES (\(bind: phone), \(bind: id.rawValue))").run()
        }
    }

    static func addEvent(
        to id: Household.ID, seq: Int, kind: String, at now: Date, actor: Actor?, reason: String?, detail: String?, on db: any SQLDatabase
    ) async throws {
        try await db.raw(
            """
            INSERT INTO household_events (household_id, seq, kind, at, actor_id, reason, detail)
            VALUES (\(bind: id.rawValue), \(bind: seq), \(bind: kind), \(bind: now.epochSeconds), \(bind: actor?.officer.id.rawValue), \
            \(bind: reason), \(bind: detail))
            """
        ).run()
    }

    /// What the history says of a household's state (members masked: the history is read more widely than the register).
    static func describe(_ input: HouseholdInput) -> String {
        let members = input.members.map { member in
            [member.relation, member.name].compactMap { $0 }.joined(separator: " ")
        }
        return "\(input.unitID) · \(input.address) · " + (input.tags.isEmpty ? "—" : input.tags.sorted().map(\.nameZh).joined(separator: "、"))
            + " · " + (members.isEmpty ? "—" : members.joined(separator: "、")) + " · " + (input.officerID?.rawValue ?? "—")
    }
}

extension SQLCommunityStore.HouseholdInput {
    func asHousehold(id: Household.ID, createdAt: Date) -> Household {
        Household(id: id, unitID: unitID, address: address, members: members, tags: tags, officerID: officerID, createdAt: createdAt)
    }
}
