import Foundation
import MinyiCore
import SQLKit

extension SQLItemStore {
    /// The stored model of `name` (the category suggester) and when it was trained.
    public func storedModel(_ name: String) async throws -> (trainedAt: Date, model: String)? {
        try await database.read { db in
            try await db.raw("SELECT trained_at, model FROM suggester_models WHERE name = \(bind: name)").first().map {
                (Date(epochSeconds: try $0.int("trained_at")), try $0.string("model"))
            }
        }
    }

    /// Stores a freshly trained model, unless a newer one is there already.
    public func storeModel(_ name: String, model: String, trainedAt: Date) async throws {
        try await database.write { db in
            try await db.raw(
                """
                INSERT INTO suggester_models (name, trained_at, model) VALUES (\(bind: name), \(bind: trainedAt.epochSeconds), \(bind: model))
                ON CONFLICT (name) DO UPDATE SET trained_at = excluded.trained_at, model = excluded.model
                WHERE suggester_models.trained_at <= excluded.trained_at
                """
            ).run()
        }
    }
}
