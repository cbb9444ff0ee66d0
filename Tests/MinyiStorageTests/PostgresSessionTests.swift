import Foundation
import MinyiStorage
import MinyiStorageTesting
import SQLKit
import Testing

/// What every PostgreSQL connection sets for itself, whatever the server or the role would give it.
struct PostgresSessionTests {
    /// A role whose defaults are asynchronous commits and query compilation still gets durable commits (an
    /// acknowledged submission is on disk) and no compilation, on reading and writing connections alike.
    @Test(.enabled(if: TestDatabase.postgresURL != nil))
    func connectionsCommitDurablyAndCompileNothingWhateverTheDefaults() async throws {
        let url = try #require(TestDatabase.postgresURL)
        let admin = try await PostgresBackend.open(url: url, logger: TestDatabase.logger)
        let role = "minyi_session_test"
        for statement in [
            "DROP ROLE IF EXISTS \(role)", "CREATE ROLE \(role) LOGIN", "ALTER ROLE \(role) SET synchronous_commit = off",
            "ALTER ROLE \(role) SET jit = on",
        ] {
            try await admin.write { try await $0.raw(SQLQueryString(statement)).run() }
        }
        var components = try #require(URLComponents(string: url))
        components.user = role
        components.password = nil
        let backend = try await PostgresBackend.open(url: try #require(components.string), logger: TestDatabase.logger)
        func setting(_ name: String, writing: Bool) async throws -> String {
            let show: @Sendable (any SQLDatabase) async throws -> String = { db in
                try await db.raw(SQLQueryString("SHOW " + name)).first().map { try $0.decode(column: name, as: String.self) } ?? "?"
            }
            return writing ? try await backend.write(show) : try await backend.read(show)
        }
        for writing in [false, true] {
            #expect(try await setting("synchronous_commit", writing: writing) == "on")
            #expect(try await setting("jit", writing: writing) == "off")
        }
        await backend.shutdown()
        try await admin.write { try await $0.raw(SQLQueryString("DROP ROLE " + role)).run() }
        await admin.shutdown()
    }

    /// The tables that intake fills are vacuumed at the slower pace (`SpreadIntakeVacuums`), the others at the server's.
    @Test(.enabled(if: TestDatabase.postgresURL != nil))
    func theTablesIntakeFillsAreVacuumedSlowly() async throws {
        try await TestDatabase.withFresh(.postgres) { database in
            let rows = try await database.read {
                try await $0.raw(
                    """
                    SELECT relname, array_to_string(reloptions, ',') AS options FROM pg_class
                    WHERE relname IN ('items', 'item_events', 'item_phones', 'item_tallies') AND relnamespace = current_schema()::regnamespace
                    """
                ).all()
            }
            var options: [String: String] = [:]
            for row in rows {
                options[try row.decode(column: "relname", as: String.self)] = try row.decode(column: "options", as: String?.self) ?? ""
            }
            for table in ["items", "item_events", "item_phones"] {
                #expect(options[table] == "autovacuum_vacuum_cost_delay=10", "\(table)")
            }
            #expect(options["item_tallies"] == "", "updated in place: the server's pace")
        }
    }
}
