import MinyiCore
import SQLKit

/// The requests that came through one channel, by time: Open311's `GET requests` lists only its own channel's
/// requests, over at most 90 days, without reading every item of those days.
struct IndexItemsByChannel: Migration {
    let version = 28

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["CREATE INDEX items_channel ON items(channel, created_at)"], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP INDEX items_channel"], on: db)
    }
}
