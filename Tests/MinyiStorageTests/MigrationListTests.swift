import MinyiStorage
import Testing

struct MigrationListTests {
    /// The capabilities' schema steps together make one unbroken sequence, each step once, named by its type.
    @Test func everyStepOnceInOrder() {
        let versions = Migrator.all.map(\.version)
        #expect(versions == Array(1...versions.count))
        #expect(Set(Migrator.all.map(\.name)).count == versions.count)
        #expect(Migrator.all.first?.name == "CreateOrganisation" && Migrator.all.last?.name == "OutlastLongSnapshots")
    }
}
