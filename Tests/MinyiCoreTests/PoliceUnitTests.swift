import Testing

@testable import MinyiCore

struct PoliceUnitTests {
    @Test func theRootIsTheFirstIDOfTheLineage() {
        let community = PoliceUnit(
            id: "S01-O1-C1", name: "社区", kind: .community,
            parent: PoliceUnit(id: "S01-O1", name: "警务室", kind: .office, parent: stationA))
        #expect(community.rootID == "KFQ")
        #expect(community.rootID == community.lineage.first)
        #expect(bureau.rootID == "KFQ")
        #expect(bureau.lineage == ["KFQ"])
    }
}
