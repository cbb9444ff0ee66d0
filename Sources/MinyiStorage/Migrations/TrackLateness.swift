import SQLKit

/// What is late now: an item that missed a deadline stays late (`late_since`, `late_for`) until the step it missed is
/// done, though its deadlines move on; and an item's open supervision order for lateness is escalated (`level`:
/// 0 the unit, 1 its lead, 2 the bureau's leaders) instead of a new order per breach.
struct TrackLateness: Migration {
    let version = 16

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                "ALTER TABLE items ADD COLUMN late_since BIGINT",
                "ALTER TABLE items ADD COLUMN late_for TEXT",
                "CREATE INDEX items_late ON items(late_since) WHERE late_since IS NOT NULL",
                "ALTER TABLE supervision_orders ADD COLUMN level BIGINT NOT NULL DEFAULT 0",
                // Items already late when this runs: those still at the step whose deadline they missed.
                """
                UPDATE items SET late_since = updated_at, late_for = 'handling'
                WHERE breached = 1 AND status IN ('dispatched', 'accepted', 'supervised')
                """,
            ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                "ALTER TABLE supervision_orders DROP COLUMN level", "DROP INDEX items_late", "ALTER TABLE items DROP COLUMN late_for",
                "ALTER TABLE items DROP COLUMN late_since",
            ], on: db)
    }
}
