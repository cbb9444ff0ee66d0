import Foundation
import MinyiCore
import SQLKit
import Synchronization

/// Units and category codes held in memory for intake, which checks both on every submission. A code not found
/// reloads from the database (at most once a second), so additions are seen at once; removals are still refused by
/// the foreign keys.
final class CatalogueCache: Sendable {
    private struct Snapshot {
        var units: [PoliceUnit.ID: PoliceUnit] = [:]
        var categories: Set<MinyiCore.Category.Code> = []
        /// When it was read, on the monotonic clock (a cache's age, not a time of day: no wall clock involved).
        var loadedAt: ContinuousClock.Instant?
    }

    private let snapshot = Mutex(Snapshot())
    private let database: any DatabaseBackend

    init(database: any DatabaseBackend) { self.database = database }

    /// The place and whether the category exists, reloading once if either is unknown.
    func lookup(place: PoliceUnit.ID, category: MinyiCore.Category.Code) async throws -> (place: PoliceUnit?, categoryExists: Bool) {
        let cached = snapshot.withLock { ($0.units[place], $0.categories.contains(category), $0.loadedAt) }
        if let unit = cached.0, cached.1 { return (unit, true) }
        if let loadedAt = cached.2, ContinuousClock.now - loadedAt < .seconds(1) { return (cached.0, cached.1) }
        let (units, categories) = try await database.read { db in
            let units = try await db.raw("SELECT * FROM units").all().map(SQLOrganisationStore.decodeUnit)
            let categories = try await db.raw("SELECT code FROM categories").all().map { MinyiCore.Category.Code(try $0.string("code")) }
            return (units, categories)
        }
        let fresh = Snapshot(
            units: Dictionary(units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }), categories: Set(categories), loadedAt: .now)
        snapshot.withLock { $0 = fresh }
        return (fresh.units[place], fresh.categories.contains(category))
    }
}
