import MinyiCore
import SQLKit

/// The category suggester's trained model, kept in the database: the instance that claims a training period trains it
/// and stores it here, the others load it, so several instances train once per period between them.
struct ShareSuggesterModels: Migration {
    let version = 31

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["CREATE TABLE suggester_models (name TEXT PRIMARY KEY, trained_at BIGINT NOT NULL, model TEXT NOT NULL)"], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP TABLE suggester_models"], on: db)
    }
}
