import Foundation
import MinyiCore
import SQLKit

/// Units, officers, categories and the dispatch catalogue, on SQL.
public struct SQLOrganisationStore: Sendable {
    let database: any DatabaseBackend

    public init(database: any DatabaseBackend) { self.database = database }

    // MARK: Units

    /// Adds a unit; its path is built from its parent's.
    @discardableResult
    public func addUnit(
        id: PoliceUnit.ID, name: String, kind: PoliceUnit.Kind, parent: PoliceUnit.ID?, population: Int? = nil, phone: String? = nil,
        address: String? = nil
    ) async throws -> PoliceUnit {
        try await database.write { db in
            try await Self.addUnit(
                on: db, id: id, name: name, kind: kind, parent: parent, population: population, phone: phone, address: address)
        }
    }

    static func addUnit(
        on db: any SQLDatabase, id: PoliceUnit.ID, name: String, kind: PoliceUnit.Kind, parent: PoliceUnit.ID?, population: Int?,
        phone: String?, address: String?
    ) async throws -> PoliceUnit {
        // Unit IDs form the paths that jurisdiction checks match by prefix (SQL LIKE), so they hold no wildcard or separator.
        guard !id.rawValue.isEmpty, id.rawValue.count <= 32,
            id.rawValue.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") })
        else {
            throw ValidationError.invalid(
                field: "id",
                message: "单位编号只能包含字母、数字和连字符，最多 32 位 (letters, digits and '-' only): \(id)")
        }
        var parentUnit: PoliceUnit?
        if let parent {
            guard let found = try await unit(on: db, id: parent) else { throw StorageError.notFound(what: "单位", id: parent.rawValue) }
            parentUnit = found
        }
        let unit = PoliceUnit(id: id, name: name, kind: kind, parent: parentUnit, population: population, phone: phone, address: address)
        if try await Self.unit(on: db, id: id) != nil { throw StorageError.conflict("单位 \(id) 已存在 (unit exists)") }
        try await db.raw(
            """
            INSERT INTO units (id, name, kind, parent_id, path, population, phone, address)
            VALUES (\(bind: id.rawValue), \(bind: name), \(bind: kind.rawValue), \(bind: parent?.rawValue), \(bind: unit.path),
                    \(bind: population), \(bind: phone), \(bind: address))
            """
        ).run()
        return unit
    }

    public func unit(_ id: PoliceUnit.ID) async throws -> PoliceUnit? {
        try await database.read { try await Self.unit(on: $0, id: id) }
    }

    static func unit(on db: any SQLDatabase, id: PoliceUnit.ID) async throws -> PoliceUnit? {
        try await db.raw("SELECT * FROM units WHERE id = \(bind: id.rawValue)").first().map(decodeUnit)
    }

    /// Every unit, in tree order.
    public func units() async throws -> [PoliceUnit] {
        try await database.read { db in
            try await db.raw("SELECT * FROM units ORDER BY path").all().map(Self.decodeUnit)
        }
    }

    /// The unit and every unit above it, root first.
    public func lineage(of id: PoliceUnit.ID) async throws -> [PoliceUnit] {
        try await database.read { try await Self.lineage(on: $0, of: id) }
    }

    static func lineage(on db: any SQLDatabase, of id: PoliceUnit.ID) async throws -> [PoliceUnit] {
        guard let unit = try await unit(on: db, id: id) else { throw StorageError.notFound(what: "单位", id: id.rawValue) }
        let ids = unit.lineage.map(\.rawValue)
        let rows = try await db.raw("SELECT * FROM units WHERE id IN (\(binds: ids))").all().map(decodeUnit)
        return rows.sorted { $0.path.count < $1.path.count }
    }

    static func decodeUnit(_ row: any SQLRow) throws -> PoliceUnit {
        guard let kind = PoliceUnit.Kind(rawValue: try row.string("kind")) else { throw StorageError.corrupt("unit kind") }
        return PoliceUnit(
            id: .init(try row.string("id")), name: try row.string("name"), kind: kind,
            parentID: try row.optionalString("parent_id").map { .init($0) },
            path: try row.string("path"), population: try row.optionalInt("population"), phone: try row.optionalString("phone"),
            address: try row.optionalString("address"))
    }

    // MARK: Officers

    /// Adds an officer with an already hashed password.
    @discardableResult
    public func addOfficer(
        id: Officer.ID, username: String, name: String, unit: PoliceUnit.ID, roles: Set<Role>, passwordHash: String, at now: Date
    ) async throws -> Officer {
        try await database.write { db in
            guard try await Self.unit(on: db, id: unit) != nil else { throw StorageError.notFound(what: "单位", id: unit.rawValue) }
            let existing = try await db.raw("SELECT id FROM officers WHERE username = \(bind: username)").first()
            if existing != nil { throw StorageError.conflict("用户名 \(username) 已存在 (username taken)") }
            try await db.raw(
                """
                INSERT INTO officers (id, username, name, unit_id, roles, password_hash, active, created_at)
                VALUES (\(bind: id.rawValue), \(bind: username), \(bind: name), \(bind: unit.rawValue),
                        \(bind: roles.map(\.rawValue).sorted().joined(separator: ",")), \(bind: passwordHash), 1, \(bind: now.epochSeconds))
                """
            ).run()
            return Officer(id: id, username: username, name: name, unitID: unit, roles: roles)
        }
    }

    /// The officer with a username, with the stored password hash.
    public func officer(username: String) async throws -> (officer: Officer, passwordHash: String)? {
        try await database.read { db in
            guard let row = try await db.raw("SELECT * FROM officers WHERE username = \(bind: username) AND active = 1").first() else {
                return nil
            }
            return (try Self.decodeOfficer(row), try row.string("password_hash"))
        }
    }

    public func officer(_ id: Officer.ID) async throws -> Officer? {
        try await database.read { db in
            try await db.raw("SELECT * FROM officers WHERE id = \(bind: id.rawValue) AND active = 1").first().map(Self.decodeOfficer)
        }
    }

    /// The active officers of a unit and the units below it, by name.
    public func officers(under unit: PoliceUnit) async throws -> [Officer] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT o.* FROM officers o JOIN units u ON u.id = o.unit_id WHERE u.path LIKE \(bind: unit.path + "%") AND o.active = 1 \
                ORDER BY o.name, o.id
                """
            ).all().map(Self.decodeOfficer)
        }
    }

    /// Builds the acting identity of an officer: their unit and the jurisdiction they act for.
    public func actor(for officer: Officer) async throws -> Actor {
        let lineage = try await lineage(of: officer.unitID)
        guard let unit = lineage.last else { throw StorageError.notFound(what: "单位", id: officer.unitID.rawValue) }
        return Actor(officer: officer, unit: unit, jurisdiction: Actor.jurisdiction(of: unit, ancestors: Array(lineage.dropLast())))
    }

    static func decodeOfficer(_ row: any SQLRow) throws -> Officer {
        let roles = try row.string("roles").split(separator: ",").compactMap { Role(rawValue: String($0)) }
        return Officer(
            id: .init(try row.string("id")), username: try row.string("username"), name: try row.string("name"),
            unitID: .init(try row.string("unit_id")), roles: Set(roles))
    }

    // MARK: Catalogue

    public func addCategory(_ category: MinyiCore.Category, position: Int = 0) async throws {
        try await database.write { db in
            try await db.raw(
                """
                INSERT INTO categories (code, name_zh, name_en, grp, response_hours, handling_days, position)
                VALUES (\(bind: category.code.rawValue), \(bind: category.nameZh), \(bind: category.nameEn), \(bind: category.group),
                        \(bind: category.responseHours), \(bind: category.handlingDays), \(bind: position))
                """
            ).run()
        }
    }

    /// Changes a category's deadlines; items already dispatched keep theirs.
    public func setDeadlines(of code: MinyiCore.Category.Code, responseHours: Int, handlingDays: Int) async throws {
        try await database.write { db in
            try await db.raw(
                """
                UPDATE categories SET response_hours = \(bind: responseHours), handling_days = \(bind: handlingDays) WHERE code =
                \(bind: code.rawValue)
                """
            ).run()
        }
    }

    public func categories() async throws -> [MinyiCore.Category] {
        try await database.read { db in
            try await db.raw("SELECT * FROM categories ORDER BY position, code").all().map(Self.decodeCategory)
        }
    }

    static func category(on db: any SQLDatabase, code: MinyiCore.Category.Code) async throws -> MinyiCore.Category? {
        try await db.raw("SELECT * FROM categories WHERE code = \(bind: code.rawValue)").first().map(decodeCategory)
    }

    static func decodeCategory(_ row: any SQLRow) throws -> MinyiCore.Category {
        MinyiCore.Category(
            code: .init(try row.string("code")), nameZh: try row.string("name_zh"), nameEn: try row.string("name_en"),
            group: try row.string("grp"), responseHours: try row.int("response_hours"), handlingDays: try row.int("handling_days"))
    }

    public func addDispatchRule(_ rule: DispatchRule) async throws {
        try await database.write { db in
            try await db.raw(
                """
                INSERT INTO dispatch_rules (category, place_id, target_id)
                VALUES (\(bind: rule.category.rawValue), \(bind: rule.place?.rawValue), \(bind: rule.target.rawValue))
                """
            ).run()
        }
    }

    public func dispatchRules() async throws -> [DispatchRule] {
        try await database.read { try await Self.dispatchRules(on: $0, category: nil) }
    }

    static func dispatchRules(on db: any SQLDatabase, category: MinyiCore.Category.Code?) async throws -> [DispatchRule] {
        let rows: [any SQLRow]
        if let category {
            rows = try await db.raw("SELECT * FROM dispatch_rules WHERE category = \(bind: category.rawValue)").all()
        } else {
            rows = try await db.raw("SELECT * FROM dispatch_rules ORDER BY category").all()
        }
        return try rows.map { row in
            DispatchRule(
                category: .init(try row.string("category")), place: try row.optionalString("place_id").map { .init($0) },
                target: .init(try row.string("target_id")))
        }
    }

    /// The unit the catalogue proposes for an item of `category` placed at `place`.
    public func proposeUnit(category: MinyiCore.Category.Code, place: PoliceUnit.ID) async throws -> PoliceUnit.ID? {
        try await database.read { db in
            let rules = try await Self.dispatchRules(on: db, category: category)
            guard let placeUnit = try await Self.unit(on: db, id: place) else { return nil }
            return DispatchRule.propose(category: category, placeLineage: placeUnit.lineage, rules: rules)
        }
    }

    // MARK: Settings

    /// A setting's value, created from `make` the first time it is asked for.
    public func setting(_ key: String, orCreate make: @escaping @Sendable () -> String) async throws -> String {
        if let value = try await database.read({ db in
            try await db.raw("SELECT value FROM settings WHERE key = \(bind: key)").first().map { try $0.string("value") }
        }) {
            return value
        }
        return try await database.write { db in
            try await db.raw("INSERT INTO settings (key, value) VALUES (\(bind: key), \(bind: make())) ON CONFLICT (key) DO NOTHING").run()
            guard let row = try await db.raw("SELECT value FROM settings WHERE key = \(bind: key)").first() else {
                throw StorageError.corrupt("setting \(key)")
            }
            return try row.string("value")
        }
    }

    /// A setting's value where an older version kept it, without creating it.
    func legacySetting(_ key: String) async throws -> String? {
        try await database.read { db in
            try await db.raw("SELECT value FROM settings WHERE key = \(bind: key)").first().map { try $0.string("value") }
        }
    }

    /// Removes a setting (a secret that has moved out of the database).
    func removeSetting(_ key: String) async throws {
        try await database.write { db in try await db.raw("DELETE FROM settings WHERE key = \(bind: key)").run() }
    }
}
