import Foundation

/// A public-facing service recorded in another police system — a reported crime, a household-registration (户籍)
/// transaction, a licence, an ID card, a traffic matter — that Minyi follows with a callback like any item.
public struct BusinessRecord: Sendable, Hashable {
    /// The record's ID in the system it came from; re-importing the same ID changes nothing.
    public var recordID: String
    public var businessType: String
    public var unitID: PoliceUnit.ID
    /// The officer who served the resident, as the source system names them.
    public var officer: String?
    public var contactName: String?
    public var contactPhone: String?
    public var occurredAt: Date
    /// Never called back: domestic violence, sexual offences, minors …
    public var sensitive: Bool

    public init(
        recordID: String, businessType: String, unitID: PoliceUnit.ID, officer: String?, contactName: String?, contactPhone: String?,
        occurredAt: Date, sensitive: Bool
    ) {
        self.recordID = recordID
        self.businessType = businessType
        self.unitID = unitID
        self.officer = officer
        self.contactName = contactName
        self.contactPhone = contactPhone
        self.occurredAt = occurredAt
        self.sensitive = sensitive
    }
}

/// Reading business records from CSV: the header names the columns (English or Chinese), each row is checked.
public enum BusinessRecordCSV {
    public enum Column: String, CSVColumn {
        case recordID = "record_id", businessType = "business_type", unit, officer, name, phone, date, sensitive

        /// Header names accepted for the column.
        public var names: [String] {
            switch self {
            case .recordID: ["record_id", "业务编号", "编号"]
            case .businessType: ["business_type", "业务类型", "类型"]
            case .unit: ["unit", "单位", "单位编号"]
            case .officer: ["officer", "民警", "经办民警"]
            case .name: ["name", "姓名"]
            case .phone: ["phone", "电话", "联系电话"]
            case .date: ["date", "日期", "办理日期"]
            case .sensitive: ["sensitive", "敏感", "敏感标记"]
            }
        }

        public var isRequired: Bool { [.recordID, .businessType, .unit, .date].contains(self) }
    }

    /// Something wrong with the file as a whole: nothing of it is imported.
    public enum FileError: Error, Hashable, Sendable, CustomStringConvertible {
        case notUTF8(line: Int)
        case missingColumns([String])
        case unterminatedQuote(line: Int)
        case empty

        public var description: String {
            switch self {
            case .notUTF8(let line):
                "第 \(line) 行不是 UTF-8 编码（可能是 GBK），请把文件另存为 UTF-8 后重新导入 "
                    + "(line \(line) is not UTF-8, perhaps GBK; save the file as UTF-8)"
            case .missingColumns(let names): "缺少必需的列：\(names.joined(separator: ", ")) (missing required columns)"
            case .unterminatedQuote(let line): "第 \(line) 行的引号没有闭合 (unterminated quote starting on line \(line))"
            case .empty: "文件为空 (the file is empty)"
            }
        }
    }

    public typealias Header = CSVHeader<Column>

    /// Splits one CSV record (which may span lines inside quotes) into cells; nil when a quote is still open.
    /// Works on the UTF-8 bytes: commas and quotes are ASCII, so they never occur inside a multi-byte character.
    public static func cells(_ text: Substring) -> [String]? {
        var cells: [String] = []
        var cell: [UInt8] = []
        var quoted = false
        var afterQuote = false
        var plainStart: Int? = 0
        let bytes = Array(text.utf8)
        var index = 0
        func finish(_ end: Int) {
            if let start = plainStart {
                cells.append(String(decoding: bytes[start..<end], as: UTF8.self))
            } else {
                cells.append(String(decoding: cell, as: UTF8.self))
            }
            cell.removeAll(keepingCapacity: true)
            plainStart = end + 1
            afterQuote = false
        }
        while index < bytes.count {
            let byte = bytes[index]
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        cell.append(byte)
                        index += 1
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    cell.append(byte)
                }
            } else if byte == UInt8(ascii: ",") {
                finish(index)
            } else if byte == UInt8(ascii: "\""), let start = plainStart, start == index, !afterQuote {
                quoted = true
                plainStart = nil
            } else if plainStart == nil {
                cell.append(byte)
            }
            index += 1
        }
        if quoted { return nil }
        finish(bytes.count)
        return cells
    }

    /// Checks one row; the error says why it is rejected.
    public static func record(
        _ cells: [String], header: Header, knownTypes: Set<String>, knownUnits: Set<PoliceUnit.ID>,
        parseDate: (String) -> Date? = BusinessRecordCSV.parseDate
    ) throws(ValidationError) -> BusinessRecord {
        func value(_ column: Column) -> String? {
            guard let index = header.positions[column], index < cells.count else { return nil }
            let trimmed = trimSpaces(cells[index])
            return trimmed.isEmpty ? nil : trimmed
        }
        guard let recordID = value(.recordID) else { throw .invalid(field: "record_id", message: "缺少业务编号 (record_id is empty)") }
        guard recordID.count <= 64 else { throw .invalid(field: "record_id", message: "业务编号过长 (record_id longer than 64)") }
        guard let type = value(.businessType), knownTypes.contains(type) else {
            throw .invalid(field: "business_type", message: "未知的业务类型 \(value(.businessType) ?? "") (unknown business type)")
        }
        guard let unit = value(.unit).map({ PoliceUnit.ID($0) }), knownUnits.contains(unit) else {
            throw .invalid(field: "unit", message: "未知的单位 \(value(.unit) ?? "") (unknown unit)")
        }
        guard let rawDate = value(.date), let date = parseDate(rawDate) else {
            throw .invalid(field: "date", message: "日期不正确：\(value(.date) ?? "")，应如 2026-11-23 (wrong date)")
        }
        let phone = value(.phone).map { raw in
            raw.utf8.contains(where: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "-") })
                ? String(decoding: raw.utf8.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "-") }, as: UTF8.self) : raw
        }
        if let phone, !Contact.isMobileNumber(phone) {
            throw .invalid(field: "phone", message: "手机号码不正确：\(phone) (not a mobile number)")
        }
        let sensitive: Bool
        switch value(.sensitive)?.lowercased() {
        case nil, "0", "否", "false", "no", "n": sensitive = false
        case "1", "是", "true", "yes", "y": sensitive = true
        case let other?: throw .invalid(field: "sensitive", message: "敏感标记应为 是/否 或 1/0：\(other) (sensitive must be yes/no)")
        }
        if let name = value(.name), name.count > 50 { throw .invalid(field: "name", message: "姓名过长 (name longer than 50)") }
        return BusinessRecord(
            recordID: recordID, businessType: type, unitID: unit, officer: value(.officer), contactName: value(.name), contactPhone: phone,
            occurredAt: date, sensitive: sensitive)
    }

    /// Drops spaces and tabs at both ends (cheaply: most cells have none).
    static func trimSpaces(_ text: String) -> String {
        let utf8 = text.utf8
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        guard let first = utf8.first, let last = utf8.last, isSpace(first) || isSpace(last) else { return text }
        guard let start = utf8.firstIndex(where: { !isSpace($0) }), let end = utf8.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(text[start...end])
    }

    /// Dates as `2026-11-23`, `2026/11/23` or with a time `2026-11-23 14:05`, in China Standard Time; impossible
    /// dates (2026-02-30) are refused.
    public static func parseDate(_ text: String) -> Date? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard let day = parts.first else { return nil }
        let numbers = day.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." }).map { Int($0) }
        guard numbers.count == 3, let year = numbers[0], let month = numbers[1], let dayOfMonth = numbers[2], (2000...2100).contains(year),
            (1...12).contains(month), (1...31).contains(dayOfMonth)
        else { return nil }
        var hour = 0
        var minute = 0
        if parts.count > 1 {
            let time = parts[1].split(separator: ":").map { Int($0) }
            guard time.count >= 2, let h = time[0], let m = time[1], (0...23).contains(h), (0...59).contains(m) else { return nil }
            hour = h
            minute = m
        }
        let components = DateComponents(year: year, month: month, day: dayOfMonth, hour: hour, minute: minute)
        guard components.isValidDate(in: Deadlines.calendar), let date = Deadlines.calendar.date(from: components) else { return nil }
        return date
    }
}

/// The callback of a business record: attempts and their rules.
public enum BusinessCallback {
    /// What happened when the agent called.
    public enum Outcome: String, Sendable, CaseIterable, Codable {
        case answered, noAnswer = "no_answer", wrongNumber = "wrong_number", refused

        public var nameZh: String {
            switch self {
            case .answered: "已接通"
            case .noAnswer: "无人接听"
            case .wrongNumber: "号码错误"
            case .refused: "拒绝回访"
            }
        }

        public var nameEn: String {
            switch self {
            case .answered: "Answered"
            case .noAnswer: "No answer"
            case .wrongNumber: "Wrong number"
            case .refused: "Refused"
            }
        }
    }

    /// Where a record's callback stands.
    public enum Status: String, Sendable, CaseIterable, Codable {
        case scheduled  // due on its date
        case done  // answered
        case refused  // the resident declined
        case unreachable  // wrong number, or no answer three times
        case skipped  // sensitive, or no phone: never called

        public var nameZh: String {
            switch self {
            case .scheduled: "待回访"
            case .done: "已回访"
            case .refused: "拒绝回访"
            case .unreachable: "无法联系"
            case .skipped: "不回访"
            }
        }

        public var nameEn: String {
            switch self {
            case .scheduled: "Scheduled"
            case .done: "Done"
            case .refused: "Refused"
            case .unreachable: "Unreachable"
            case .skipped: "Not called"
            }
        }
    }

    /// Calls made before a record with no answer is given up.
    public static let maxAttempts = 3

    /// The first status of an imported record and when its callback falls due (nil: never).
    public static func schedule(_ record: BusinessRecord, callbackDays: Int) -> (status: Status, due: Date?) {
        if record.sensitive || record.contactPhone == nil { return (.skipped, nil) }
        // China Standard Time has no daylight saving, so days are 86,400 seconds from midnight at UTC+8.
        let offset = TimeInterval(Deadlines.timeZone.secondsFromGMT())
        let day = ((record.occurredAt.timeIntervalSince1970 + offset) / 86400).rounded(.down) * 86400 - offset
        return (.scheduled, Date(timeIntervalSince1970: day + TimeInterval(max(0, callbackDays)) * 86400))
    }

    /// The status after an attempt, given the attempts made before it, and when to call again.
    public static func after(
        _ outcome: Outcome, previousAttempts: Int, at now: Date
    ) -> (status: Status, nextDue: Date?) {
        switch outcome {
        case .answered: return (.done, nil)
        case .refused: return (.refused, nil)
        case .wrongNumber: return (.unreachable, nil)
        case .noAnswer:
            if previousAttempts + 1 >= maxAttempts { return (.unreachable, nil) }
            return (.scheduled, now.addingTimeInterval(4 * 3600))
        }
    }
}
