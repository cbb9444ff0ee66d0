import SQLKit

/// The first answered callback of each item (`first_callback_result`) and its rollup counters, for the first-time
/// satisfaction rate (一次满意率) beside the final one. Existing items take it from their callback events; the rollups
/// are then recounted.
struct CountFirstCallbacks: Migration {
    let version = 17

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        let result = dialect.jsonField("e.detail", "result")
        try await run(
            [
                "ALTER TABLE items ADD COLUMN first_callback_result TEXT",
                """
                UPDATE items SET first_callback_result = (
                    SELECT \(result) FROM item_events e
                    WHERE e.item_id = items.id AND e.kind = 'callback' AND \(result) IN ('satisfied', 'basically_satisfied', 'dissatisfied')
                    ORDER BY e.seq LIMIT 1)
                WHERE EXISTS (SELECT 1 FROM item_events c WHERE c.item_id = items.id AND c.kind = 'callback')
                """,
                "ALTER TABLE item_tallies ADD COLUMN first_callbacks_answered BIGINT NOT NULL DEFAULT 0",
                "ALTER TABLE item_tallies ADD COLUMN first_satisfied BIGINT NOT NULL DEFAULT 0",
            ], on: db)
        try await ItemTallies.rebuild(on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                "ALTER TABLE item_tallies DROP COLUMN first_satisfied", "ALTER TABLE item_tallies DROP COLUMN first_callbacks_answered",
                "ALTER TABLE items DROP COLUMN first_callback_result",
            ], on: db)
    }
}
