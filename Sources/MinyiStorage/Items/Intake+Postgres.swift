import Foundation
import Logging
import MinyiCore
import PostgresNIO
import SQLKit
import Synchronization

/// Intake on PostgreSQL: a batch of one bureau and year is one statement, prepared once per connection — the counter,
/// the items, their first events and the rollups together, each table's rows bound as arrays and unpacked with
/// `unnest`. One statement is one transaction and one round trip: no BEGIN and COMMIT of their own, no statement text
/// that grows with the batch, no plan made per batch, no value bound one at a time. The rollups' differences are
/// appended to `item_tally_deltas` and folded into the rollup rows about once a second (`foldTallies`): every batch
/// adding to the same few hundred rows made a new version of each, and while any long snapshot (an `ANALYZE`, a
/// `pg_dump`) kept the old versions from being cleaned up, each batch had to step over all of them. For the same reason
/// the counter row of the numbers is replaced by a fresh one about once a second (`OutlastLongSnapshots`).
extension Intake: PostgresBatchableWrite {
    static func execute(_ inputs: [Input], on connection: PostgresConnection, logger: Logger) async throws -> [Result<Output, any Error>] {
        var batch = Batch(inputs)
        try await lookUp(&batch, on: connection.sql(queryLogLevel: nil))
        // In the counters' order, as the upkeep replaces them: two batches' transactions wait for each other's counter
        // rows in one order.
        let scopes = batch.scopes().sorted { $0.counter.utf8.lexicographicallyPrecedes($1.counter.utf8) }
        // Two bureaus or years in one batch (a new year's first minutes) are two statements: they must commit together.
        let together = scopes.count > 1
        if together { _ = try await connection.query("BEGIN", logger: logger) }
        do {
            for scope in scopes {
                // The rows are built before the counter is known (the numbers come from the statement), then numbered
                // again with the counter's value: the same rule gives the same numbers as the statement.
                let rows = batch.register(bureau: scope.bureau, year: scope.year, indices: scope.indices, last: scope.indices.count)
                let statement = RegisterStatement(
                    counter: scope.counter, prefix: TrackingNumber.prefix(bureau: scope.bureau, year: scope.year), rows: rows)
                let last = try await register(statement, on: connection, logger: logger)
                _ = batch.register(bureau: scope.bureau, year: scope.year, indices: scope.indices, last: last)
            }
            if together { _ = try await connection.query("COMMIT", logger: logger) }
        } catch {
            if together { _ = try? await connection.query("ROLLBACK", logger: logger) }
            throw error
        }
        return batch.finish()
    }

    /// Runs one scope's statement until it counts (`countingAgain`); returns the counter's value after it. The statement
    /// registers nothing when its epoch's counter row was replaced meanwhile or when the scope has no counter yet.
    private static func register(_ statement: RegisterStatement, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        try await countingAgain(statement.counter, on: connection.sql(queryLogLevel: nil)) {
            var last: Int?
            for try await value in try await connection.execute(statement, logger: logger) { last = value }
            return last
        }
    }

    /// The upkeep after batches, on one instance at a time: folds the rollup differences, replaces each counter row of
    /// the numbers by the next epoch's (same value; see `OutlastLongSnapshots`), and vacuums the differences' table,
    /// whose rows live about a second — the server's autovacuum comes once a minute. While a long snapshot is held a vacuum
    /// can clean nothing up and reads every page left since, so it runs again only after twenty times what the last
    /// one took: never more than a twentieth of the time.
    static let upkeep: (@Sendable (PostgresConnection) async throws -> Void)? = { connection in
        let db = connection.sql(queryLogLevel: nil)
        try await db.raw("BEGIN").run()
        do {
            if try await ItemTallies.fold(on: db) != nil { try await replaceCounters(on: db) }
            try await db.raw("COMMIT").run()
        } catch {
            try? await db.raw("ROLLBACK").run()
            throw error
        }
        guard vacuumDue.withLock({ ContinuousClock.now >= $0 }) else { return }
        let started = ContinuousClock.now
        try await db.raw("VACUUM item_tally_deltas").run()
        let took = ContinuousClock.now - started
        vacuumDue.withLock { $0 = .now + took * 20 }
    }

    private static let vacuumDue = Mutex(ContinuousClock.now)

    /// Replaces each counter row of the numbers by the next epoch's, with the same value, inside the caller's
    /// transaction. The rows are locked first, in their order, as batches take them; each waits for the batch holding it.
    static func replaceCounters(on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            WITH current AS (
                SELECT scope, epoch FROM number_serials ORDER BY scope COLLATE "C", epoch FOR UPDATE
            ), replaced AS (
                DELETE FROM number_serials s USING current c WHERE s.scope = c.scope AND s.epoch = c.epoch
                RETURNING s.scope, s.epoch, s.value
            )
            INSERT INTO number_serials (scope, epoch, value) SELECT scope, epoch + 1, value FROM replaced
            """
        ).run()
    }

    /// One scope's registration (see the extension's note). `$1` the counter, `$2` how many, `$3` the numbers' prefix,
    /// then the items' columns as arrays, then the rollups' keys and counters as arrays.
    struct RegisterStatement: PostgresPreparedStatement {
        typealias Row = Int

        static let itemArrays: [(name: String, type: String)] = [
            ("id", "text"), ("kind", "text"), ("category", "text"), ("channel", "text"), ("text", "text"), ("place_id", "text"),
            ("place_path", "text"), ("address", "text"), ("latitude", "float8"), ("longitude", "float8"), ("contact_name", "text"),
            ("contact_phone", "text"), ("contact_id_number", "text"), ("emergency", "int8"), ("echo_card", "text"),
            ("idempotency_key", "text"), ("idempotency_hash", "text"), ("created_at", "int8"), ("actor_id", "text"),
            ("actor_unit_id", "text"), ("detail", "text"),
        ]
        static let tallyArrays: [(name: String, type: String)] =
            [("grain", "text"), ("period", "int8"), ("place_path", "text"), ("assigned_path", "text"), ("category", "text")]
            + ItemTallies.columns.map { ($0, "int8") }

        static let sql: String = {
            var parameter = 3
            func next(_ type: String) -> String {
                parameter += 1
                return "$\(parameter)::\(type)[]"
            }
            let items = itemArrays.map { next($0.type) }.joined(separator: ", ")
            let tallies = tallyArrays.map { next($0.type) }.joined(separator: ", ")
            return """
                WITH counter AS (
                    UPDATE number_serials SET value = value + $2::int8
                    WHERE scope = $1 AND epoch = (SELECT max(epoch) FROM number_serials WHERE scope = $1) RETURNING value
                ), submitted AS (
                    SELECT * FROM unnest(\(items)) WITH ORDINALITY AS s(\(itemArrays.map(\.name).joined(separator: ", ")), position)
                ), numbered AS (
                    SELECT s.*, c.value - $2::int8 + s.position AS serial FROM submitted s CROSS JOIN counter c
                ), registered AS (
                    INSERT INTO items (\(SQLItemStore.insertedItemColumns))
                    SELECT id, $3::text || CASE WHEN serial < 1000000 THEN lpad(serial::text, 6, '0') ELSE serial::text END, kind,
                        category, channel, text, place_id, place_path, address, latitude, longitude, contact_name, contact_phone,
                        contact_id_number, emergency, echo_card, idempotency_key, idempotency_hash, 'registered', 0, 0, created_at,
                        created_at, 1
                    FROM numbered
                ), first_events AS (
                    INSERT INTO item_events (\(SQLItemStore.insertedEventColumns))
                    SELECT id, 1, 'registered', created_at, actor_id, actor_unit_id, 'registered', NULL, detail FROM numbered
                ), counted AS (
                    INSERT INTO item_tally_deltas (\(tallyArrays.map(\.name).joined(separator: ", ")))
                    SELECT t.* FROM unnest(\(tallies)) AS t CROSS JOIN counter
                )
                SELECT value FROM counter
                """
        }()

        let counter: String
        let prefix: String
        let rows: [Registered]

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 3 + Self.itemArrays.count + Self.tallyArrays.count)
            bindings.append(counter)
            bindings.append(rows.count)
            bindings.append(prefix)
            func text(_ value: (Registered) -> String) { bindings.append(rows.map(value)) }
            func optionalText(_ value: (Registered) -> String?) { bindings.append(NullableArray(elements: rows.map(value))) }
            func optionalNumber(_ value: (Registered) -> Double?) { bindings.append(NullableArray(elements: rows.map(value))) }
            text { $0.item.id.rawValue }
            text { $0.item.kind.rawValue }
            text { $0.item.category.rawValue }
            text { $0.item.channel.rawValue }
            text { $0.item.text }
            text { $0.item.placeID.rawValue }
            text(\.placePath)
            optionalText { $0.item.address }
            optionalNumber { $0.item.latitude }
            optionalNumber { $0.item.longitude }
            optionalText { $0.item.contact?.name }
            optionalText { $0.item.contact?.phone }
            optionalText { $0.item.contact?.idNumber }
            bindings.append(rows.map { $0.item.emergency ? 1 : 0 })
            optionalText { $0.item.echoCard }
            optionalText(\.idempotencyKey)
            optionalText(\.idempotencyHash)
            bindings.append(rows.map { $0.item.createdAt.epochSeconds })
            optionalText { $0.event.actorID?.rawValue }
            optionalText { $0.event.actorUnitID?.rawValue }
            text { $0.event.detail.json }

            // The rollups' differences, one row per key: appended, not added to the rollup rows (see the extension's note).
            let changes = TallyChanges()
            for row in rows { changes.add(ItemTally(row.item), at: row.tallyKeys) }
            let tallies = changes.deltas.filter { !$0.value.isZero }.map { (key: $0.key, value: $0.value) }
            bindings.append(tallies.map(\.key.grain.rawValue))
            bindings.append(tallies.map(\.key.period))
            bindings.append(tallies.map(\.key.placePath))
            bindings.append(tallies.map(\.key.assignedPath))
            bindings.append(tallies.map(\.key.category))
            let values = tallies.map(\.value.values)
            for column in ItemTallies.columns.indices { bindings.append(values.map { $0[column] }) }
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Int { try row.decode(Int.self) }
    }
}
