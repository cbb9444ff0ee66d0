import Foundation

/// A third party's survey results as CSV (UTF-8, one row per response): its own ID of the response (so a file imported
/// twice adds nothing), the community, the officer rated (optional), the day, the five answers and a comment. The
/// resident is not in the file: the third party keeps who it asked.
public enum SurveyCSV {
    public enum Column: String, CSVColumn {
        case responseID = "response_id"
        case unit
        case officer
        case date
        case sawPolice = "saw_police"
        case knowsOfficer = "knows_officer"
        case attitude
        case safety
        case satisfaction
        case comment
        case surveyor

        public var names: [String] {
            switch self {
            case .responseID: ["response_id", "问卷编号", "编号"]
            case .unit: ["unit", "社区编号", "社区"]
            case .officer: ["officer", "社区民警", "民警"]
            case .date: ["date", "调查日期", "日期"]
            case .sawPolice: ["saw_police", "见警率", "是否见到民警巡逻"]
            case .knowsOfficer: ["knows_officer", "熟悉率", "是否知道社区民警"]
            case .attitude: ["attitude", "服务态度"]
            case .safety: ["safety", "安全感"]
            case .satisfaction: ["satisfaction", "满意度"]
            case .comment: ["comment", "意见建议", "意见"]
            case .surveyor: ["surveyor", "调查机构"]
            }
        }

        public var isRequired: Bool { [.responseID, .unit, .date].contains(self) }
    }

    public typealias Header = CSVHeader<Column>

    /// One checked row.
    public struct Row: Sendable, Hashable {
        public var responseID: String
        public var unit: PoliceUnit.ID
        /// A username or an officer ID, as the file gives it.
        public var officer: String?
        public var date: Date
        public var answers: SurveyAnswers
        public var surveyor: String?
    }

    /// Checks one row; the error names the column and says why.
    public static func row(_ cells: [String], header: Header) throws(ValidationError) -> Row {
        func cell(_ column: Column) -> String? {
            guard let index = header.positions[column], index < cells.count else { return nil }
            let value = cells[index].trimmed
            return value.isEmpty ? nil : value
        }
        guard let responseID = cell(.responseID), responseID.count <= 64 else {
            throw .invalid(field: "response_id", message: "缺少问卷编号或超过 64 字 (the response's ID is missing or too long)")
        }
        guard let unit = cell(.unit) else { throw .invalid(field: "unit", message: "缺少社区编号 (the community is missing)") }
        guard let dateText = cell(.date), let date = day(dateText) else {
            throw .invalid(field: "date", message: "日期应如 2026-11-20 (a date like 2026-11-20)")
        }
        func yes(_ column: Column) throws(ValidationError) -> Bool? {
            guard let value = cell(column)?.lowercased() else { return nil }
            if ["是", "yes", "y", "1", "true", "见到", "知道"].contains(value) { return true }
            if ["否", "no", "n", "0", "false", "没见到", "不知道"].contains(value) { return false }
            throw .invalid(field: column.rawValue, message: "应填“是”或“否” (yes or no)")
        }
        func score(_ column: Column) throws(ValidationError) -> Int? {
            guard let value = cell(column) else { return nil }
            guard let number = Int(value), (1...5).contains(number) else {
                throw .invalid(field: column.rawValue, message: "应为 1–5 分 (a score of 1 to 5)")
            }
            return number
        }
        var satisfaction: CallbackResult?
        if let value = cell(.satisfaction)?.lowercased() {
            switch value {
            case "满意", "satisfied": satisfaction = .satisfied
            case "基本满意", "basically_satisfied", "basically satisfied": satisfaction = .basicallySatisfied
            case "不满意", "dissatisfied": satisfaction = .dissatisfied
            default: throw .invalid(field: "satisfaction", message: "应为满意、基本满意或不满意 (satisfied, basically satisfied or dissatisfied)")
            }
        }
        let answers = try SurveyAnswers(
            sawPolice: yes(.sawPolice), knowsOfficer: yes(.knowsOfficer), attitude: score(.attitude), safety: score(.safety),
            satisfaction: satisfaction, comment: cell(.comment)
        ).validated()
        return Row(responseID: responseID, unit: .init(unit), officer: cell(.officer), date: date, answers: answers, surveyor: cell(.surveyor))
    }

    /// A day written 2026-11-20 or 2026/11/20, as the start of that day in Beijing.
    static func day(_ text: String) -> Date? {
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == "/" }).compactMap { Int($0) }
        guard parts.count == 3, (2000...2100).contains(parts[0]), (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        return Deadlines.start(year: parts[0], month: parts[1], day: parts[2])
    }
}
