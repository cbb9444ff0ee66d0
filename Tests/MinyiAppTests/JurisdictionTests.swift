import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

@testable import MinyiApp

struct JurisdictionTests {
    /// Each action's targets are checked, not only its subject: before, a station's dispatcher merged an item into
    /// another station's item that the same officer could not read.
    @Test(arguments: TestDatabase.dialects)
    func aMergeTargetOutsideTheJurisdictionIsUnknown(dialect: DatabaseDialect) async throws {
        try await withConfiguredApp(dialect: dialect) { client, world, _ in
            _ = try await world.organisation.addOfficer(
                id: "o-dispatcher1", username: "dispatcher1", name: "所调度", unit: "S01", roles: [.dispatcher], passwordHash: testPasswordHash,
                at: world.t0)
            let own = try number(try await client.submit(noiseFields))
            let ownToo = try number(try await client.submit(noiseFields))
            var elsewhere = noiseFields
            elsewhere["place"] = "S02-C1"
            let other = try number(try await client.submit(elsewhere))
            let token = try await client.login("dispatcher1")
            #expect(try await client.get("/api/v1/items/\(other)", token: token).status == .notFound)

            let refused = try await client.command("merge", own, token: token, ["into": other])
            #expect(refused.status == .unprocessableContent)
            #expect(try errorField(refused) == "into")
            let after = try await client.get("/api/v1/items/\(own)", token: token)
            #expect(try decode(StaffItemView.self, after).summary.status == "registered")

            #expect(try await client.command("merge", own, token: token, ["into": ownToo]).status == .ok)

            // The place of an item a station's clerk registers is the clerk's to serve too.
            let clerk = try await client.login("clerk_a")
            var phoned = elsewhere
            phoned["channel"] = "phone"
            let outside = try await client.submit(phoned, token: clerk)
            #expect(outside.status == .unprocessableContent)
            #expect(try errorField(outside) == "place")
            phoned["place"] = "S01-C1"
            #expect(try await client.submit(phoned, token: clerk).status == .created)
        }
    }

    /// A station's administrator administers the station: bureau-wide settings, another station's business records
    /// and the rest of the bureau's audit log are beyond them.
    @Test(arguments: TestDatabase.dialects)
    func aStationAdministratorActsOnlyWithinTheStation(dialect: DatabaseDialect) async throws {
        try await withConfiguredApp(dialect: dialect) { client, world, _ in
            _ = try await world.organisation.addOfficer(
                id: "o-admin1", username: "admin1", name: "所管理员", unit: "S01", roles: [.admin], passwordHash: testPasswordHash, at: world.t0)
            let station = try await client.login("admin1")
            let bureau = try await client.login("admin")
            let deadlines: [String: Any] = ["response_hours": 3, "handling_days": 4]
            #expect(try await client.send(.post, "/api/v1/categories/noise/deadlines", deadlines, token: station).status == .forbidden)
            #expect(try await client.send(.post, "/api/v1/categories/noise/deadlines", deadlines, token: bureau).status == .ok)
            let types = try decode([BusinessController.TypeView].self, try await client.get("/api/v1/business-types", token: bureau))
            let type = try #require(types.first?.code)
            #expect(
                try await client.send(.post, "/api/v1/business-types/\(type)/callback-days", ["callback_days": 2], token: station).status
                    == .forbidden)
            #expect(try await client.send(.post, "/api/v1/business-types/\(type)/callback-days", ["callback_days": 2], token: bureau).status == .ok)

            func record(_ id: String, unit: String) -> [String: Any] {
                [
                    "record_id": id, "business_type": type, "unit": unit, "officer": "民警", "name": "居民", "phone": "13912345678",
                    "date": "2026-09-20",
                ]
            }
            let imported = try decode(
                BusinessController.ImportResponse.self,
                try await client.send(
                    .post, "/api/v1/business-records", ["records": [record("R-1", unit: "S01"), record("R-2", unit: "S02")]], token: station))
            #expect(imported.imported == 1)
            #expect(imported.rejected.count == 1 && imported.rejected.first?.index == 1 && imported.rejected.first?.field == "unit")

            // Audit: the station's administrator reads the entries of the station's officers only.
            _ = try await client.login("clerk_a")
            _ = try await client.login("handler_b")
            func actors(_ token: String) async throws -> Set<String> {
                let list = try decode([AuditRow].self, try await client.get("/api/v1/audit?action=login", token: token))
                return Set(list.compactMap(\.actorId))
            }
            #expect(try await actors(station) == ["o-admin1", "o-clerk_a"])
            #expect(try await actors(bureau).isSuperset(of: ["o-admin1", "o-clerk_a", "o-handler_b", "o-admin"]))
        }
    }
}
