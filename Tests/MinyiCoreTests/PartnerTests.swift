import Foundation
import MinyiCore
import Testing

/// The policing community's rules: points on a hand example, hours as typed, a registration's faults named at once.
struct PartnerTests {
    @Test func pointsFollowTheRuleOnAHandExample() {
        // A volunteer's month: two patrols of 2 h, a mediation of 1.5 h, a publicity afternoon of 2.5 h, two tips (one useful),
        // and a task of 3 h.
        let month: [(PartnerActivity.Kind, Double, Bool)] = [
            (.patrol, 2, false), (.patrol, 2, false), (.mediation, 1.5, false), (.publicity, 2.5, false), (.tip, 0, false), (.tip, 0, true),
            (.task, 3, false),
        ]
        let points = month.map { PartnerActivity.points(kind: $0.0, hours: $0.1, useful: $0.2) }
        // 20 + 20 + 22.5 → 23 + 20 + 20 + 50 + 36
        #expect(points == [20, 20, 23, 20, 20, 50, 36])
        #expect(points.reduce(0, +) == 189)
    }

    @Test func hoursAreReadInHalfHoursUpToADay() throws {
        #expect(try PartnerActivity.hours("1.5") == 1.5)
        #expect(try PartnerActivity.hours(" 24 ") == 24)
        for bad in ["1.25", "25", "-1", "两小时", "", "nan", "inf"] {
            #expect(throws: ValidationError.self) { try PartnerActivity.hours(bad) }
        }
    }

    @Test func aRegistrationNamesEveryFaultAtOnce() {
        do {
            _ = try Partner.validated(
                id: "p", kind: nil, name: "  ", phone: "12345", areaID: nil, skills: ["flying"], availability: [], note: nil)
            Issue.record("accepted")
        } catch {
            #expect(Set(error.errors.map(\.field)) == ["kind", "name", "phone", "area", "skills"])
        }
        let partner = try? Partner.validated(
            id: "p", kind: .volunteer, name: "张三", phone: "13800138000", areaID: "C1", skills: ["patrol"], availability: ["weekend"], note: "")
        #expect(partner?.skills == [.patrol] && partner?.note == nil && partner?.phone == "13800138000")
    }
}
