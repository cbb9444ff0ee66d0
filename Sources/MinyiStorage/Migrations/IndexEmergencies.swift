import SQLKit

/// Emergencies by time, in an index that holds only them: a long queue lists its emergencies first, newest first,
/// without reading the other items. A new submission that is not an emergency writes nothing to it.
struct IndexEmergencies: Migration {
    let version = 12

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["CREATE INDEX items_emergency ON items(created_at) WHERE emergency = 1"], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP INDEX items_emergency"], on: db)
    }
}
