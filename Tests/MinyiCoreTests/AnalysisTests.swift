import Foundation
import Testing

@testable import MinyiCore

struct AnalysisTests {
    @Test func changesAgainstLastMonthAndLastYearAndHotPlaces() {
        let analysis = MonthlyAnalysis(
            categories: (["noise": 24, "traffic": 10, "fraud": 5], ["noise": 16, "traffic": 20], ["noise": 12, "fraud": 1]),
            kinds: (["complaint": 15, "help": 7], ["complaint": 18], [:]),
            places: ["C1": 10, "C2": 9, "C3": 3], populations: ["C1": 8000, "C2": 3000])
        #expect(analysis.categories.map(\.key) == ["noise", "traffic", "fraud"])
        let noise = analysis.categories[0]
        #expect(noise.monthOnMonth == 0.5 && noise.yearOnYear == 1.0)
        let traffic = analysis.categories[1]
        #expect(traffic.monthOnMonth == -0.5 && traffic.yearOnYear == nil)
        // Five against one a year ago is not "+400%": under ten, no change is given.
        #expect(analysis.categories[2].yearOnYear == nil && analysis.categories[2].monthOnMonth == nil)
        #expect(analysis.total.count == 39 && analysis.total.previousMonth == 36 && analysis.total.lastYear == 13)
        #expect(analysis.kinds.first?.key == "complaint")
        // C2: 9 per 3,000 = 3.0 per 1,000; C1: 10 per 8,000 = 1.25; C3 has no population and is left out.
        #expect(analysis.hotPlaces.map(\.place) == ["C2", "C1"])
        #expect(analysis.hotPlaces[0].perThousand == 3.0 && analysis.hotPlaces[1].perThousand == 1.25)
        #expect(analysis.topConcerns(2).map(\.key) == ["noise", "traffic"])
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

    /// The finder compares only texts that share a rare bigram; it must find exactly what comparing every pair finds.
    @Test func clustersMatchComparingEveryPair() {
        let phrases = [
            "楼下", "烧烤店", "凌晨", "噪音", "很大", "营业", "学校门口", "乱停车", "早高峰", "堵路", "路灯", "不亮", "小区", "监控", "坏了",
            "电动车", "被偷", "希望", "尽快", "处理", "广场", "跳舞", "音响", "太吵",
        ]
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let items: [ClusterFinder.Candidate] = (0..<400).map { index in
            let text = (0..<(2 + next(5))).map { _ in phrases[next(phrases.count)] }.joined(separator: next(3) == 0 ? "，" : "")
            return .init(number: "N\(index)", text: text, place: .init("C\(next(3))"), at: t0 + Double(next(30 * 86400)))
        }
        func grams(_ text: String) -> Set<String> {
            let characters = Array(text.lowercased())
            var result = Set<String>()
            for (a, b) in zip(characters, characters.dropFirst()) where (a.isLetter || a.isNumber) && (b.isLetter || b.isNumber) {
                result.insert(String([a, b]))
            }
            return result
        }
        // Every pair, joined into groups by hand.
        let sets = items.map { grams($0.text) }
        var group = Array(items.indices)
        func root(_ i: Int) -> Int { group[i] == i ? i : root(group[i]) }
        for i in items.indices {
            for j in items.indices where j > i && items[i].place == items[j].place && abs(items[i].at.timeIntervalSince(items[j].at)) <= 7 * 86400 {
                let dice = 2 * Double(sets[i].intersection(sets[j]).count) / Double(sets[i].count + sets[j].count)
                if dice >= 0.4 { group[root(j)] = root(i) }
            }
        }
        let expected = Set(Dictionary(grouping: items.indices, by: root).values.filter { $0.count >= 2 }.map { Set($0.map { items[$0].number }) })
        let found = Set(ClusterFinder.clusters(items).map { Set($0.map(\.number)) })
        #expect(found == expected)
        #expect(expected.count > 5)
    }
}
