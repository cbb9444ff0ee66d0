import Foundation
import MinyiCore
import MinyiStorage
import Synchronization

/// The demo's services from other police systems and their callbacks.
extension Demo {
    /// Services of the last two months from other police systems, most already called back.
    func seedBusinessRecords(count: Int, actors: [String: Actor], openItems: Bool, now: Date) async throws {
        var random = Random(state: 110)
        let kinds: [(type: String, units: [String])] = [
            ("case_report", ["S01", "S02", "S03"]), ("household", ["S01", "S02", "S03", "HZ"]), ("id_card", ["HZ"]), ("vehicle", ["JJ"]),
            ("traffic", ["JJ"]), ("exit_entry", ["HZ"]), ("permit", ["ZA"]),
        ]
        let surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄"]
        var records: [BusinessRecord] = []
        for index in 0..<count {
            let kind = kinds[Int(random.next() % UInt64(kinds.count))]
            let unit = kind.units[Int(random.next() % UInt64(kind.units.count))]
            let age = Double(random.next() % UInt64(60 * 86400))
            let roll = Int(random.next() % 100)
            records.append(
                BusinessRecord(
                    recordID: "\(kind.type.prefix(2).uppercased())-\(String(format: "%06d", 100_000 + index))", businessType: kind.type,
                    unitID: .init(unit),
                    officer: ["张伟", "杨帆", "黄磊", "林芳"][index % 4],
                    contactName: surnames[index % surnames.count] + (roll % 2 == 0 ? "先生" : "女士"),
                    contactPhone: roll < 12 ? nil : "13\(roll % 10)\(String(format: "%08d", (index * 7_919 + 13) % 100_000_000))",
                    occurredAt: now.addingTimeInterval(-age), sensitive: roll >= 95))
        }
        let business = dependencies.business
        _ = try await business.importRecords(records, source: "demo", by: actors["admin"], at: now.addingTimeInterval(-61 * 86400))
        guard let agent = actors["callback"] else { return }
        let calls: [Int: BusinessCallback.Outcome] = [0: .noAnswer, 1: .wrongNumber, 2: .refused]
        for (index, record) in records.enumerated() where !record.sensitive && record.contactPhone != nil {
            let when = Deadlines.dayStart(of: record.occurredAt).addingTimeInterval(86400 + 10 * 3600)
            guard when < now.addingTimeInterval(-86400) else { continue }  // the last day's are left for the agents
            let roll = index * 37 % 100
            if let outcome = calls[roll % 25] {
                _ = try await business.recordAttempt(
                    outcome, satisfaction: nil, scores: CallbackScores(), comment: nil, of: record.recordID, by: agent, at: when)
                if outcome != .noAnswer { continue }
            }
            // A dissatisfied answer opens an item: a demo asked for no items gets none.
            let satisfaction: CallbackResult = roll < 3 && openItems ? .dissatisfied : roll < 15 ? .basicallySatisfied : .satisfied
            let scores = try CallbackScores([.attitude: 3 + roll % 3, .satisfaction: satisfaction == .dissatisfied ? 2 : 4 + roll % 2, .safety: 4])
            _ = try await business.recordAttempt(
                .answered, satisfaction: satisfaction, scores: scores, comment: satisfaction == .dissatisfied ? "办事等了太久，希望改进" : nil,
                of: record.recordID,
                by: agent, at: when.addingTimeInterval(3 * 3600))
        }
    }
}
