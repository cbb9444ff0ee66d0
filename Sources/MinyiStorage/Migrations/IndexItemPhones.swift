import SQLKit

/// Items by the resident's phone, for staff who look a caller up (the look is audited): an index of only the items
/// that have a phone.
struct IndexItemPhones: Migration {
    let version = 26

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["CREATE INDEX items_contact_phone ON items(contact_phone) WHERE contact_phone IS NOT NULL"], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP INDEX items_contact_phone"], on: db)
    }
}
