import Foundation
import Testing

@testable import MinyiCore

struct AnalysisTests {
    @Test func changesAgainstLastMonthAndLastYearAndHotPlaces() {
        let analysis = MonthlyAnalysis(
            categories: (["noise": 12, "traffic": 5, "fraud": 5], ["noise": 8, "traffic": 10], ["noise": 6, "fraud": 1]),
            kinds: (["complaint": 15, "help": 7], ["complaint": 18], [:]),
            places: ["C1": 10, "C2": 9, "C3": 3], populations: ["C1": 8000, "C2": 3000])
        #expect(analysis.categories.map(\.key) == ["noise", "fraud", "traffic"])
        let noise = analysis.categories[0]
        #expect(noise.monthOnMonth == 0.5 && noise.yearOnYear == 1.0)
        let traffic = analysis.categories[2]
        #expect(traffic.monthOnMonth == -0.5 && traffic.yearOnYear == nil)
        #expect(analysis.categories[1].yearOnYear == 4.0 && analysis.categories[1].monthOnMonth == nil)
        #expect(analysis.total.count == 22 && analysis.total.previousMonth == 18 && analysis.total.lastYear == 7)
        #expect(analysis.kinds.first?.key == "complaint")
        // C2: 9 per 3,000 = 3.0 per 1,000; C1: 10 per 8,000 = 1.25; C3 has no population and is left out.
        #expect(analysis.hotPlaces.map(\.place) == ["C2", "C1"])
        #expect(analysis.hotPlaces[0].perThousand == 3.0 && analysis.hotPlaces[1].perThousand == 1.25)
        #expect(analysis.topConcerns(2).map(\.key) == ["noise", "fraud"])
    }

    @Test func clustersGroupSimilarTextsAtOnePlaceCloseInTime() {
        let day: TimeInterval = 86400
        func item(_ number: String, _ text: String, _ place: String, _ days: Double) -> ClusterFinder.Candidate {
            .init(number: number, text: text, place: .init(place), at: t0 + days * day)
        }
        let items = [
            item("N1", "楼下烧烤店营业到凌晨，噪音很大", "C1", 0),
            item("N2", "烧烤店凌晨还在营业，噪音太大了", "C1", 1),
            item("N3", "楼下烧烤店噪音很大，凌晨两点还在营业", "C1", 3),
            item("N4", "楼下烧烤店营业到凌晨，噪音很大", "C2", 1),  // same text, another community
            item("N5", "楼下烧烤店营业到凌晨，噪音很大", "C1", 30),  // same place, a month later
            item("P1", "学校门口乱停车，早高峰堵路", "C1", 2),
            item("P2", "早高峰学校门口乱停车堵路", "C1", 2.5),
            item("X1", "身份证补办需要多久", "C1", 1),
        ]
        let clusters = ClusterFinder.clusters(items)
        #expect(clusters.map { $0.map(\.number) } == [["N1", "N2", "N3"], ["P1", "P2"]])
    }
}
