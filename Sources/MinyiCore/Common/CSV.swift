/// Writing CSV as spreadsheets read it: comma-separated, CR LF line ends, every cell quoted, and every cell that a
/// spreadsheet would take for a formula defused with a leading apostrophe. The one CSV writer of the project: the
/// ledger, the bulletins and the import's rejects file all write through it.
public enum CSV {
    /// One row with its line end.
    public static func row(_ cells: [String]) -> String {
        var line = ""
        line.reserveCapacity(cells.reduce(2) { $0 + $1.utf8.count + 3 })
        for (index, value) in cells.enumerated() {
            if index > 0 { line += "," }
            line += cell(value)
        }
        return line + "\r\n"
    }

    /// One cell, quoted. The check works on Unicode scalars, not `Character`s, so that CR LF (one `Character` in
    /// Swift) and a formula sign combined with a following mark are both seen.
    public static func cell(_ value: String) -> String {
        var quoted = "\""
        if let first = value.unicodeScalars.first, formulaStarts.contains(first) { quoted += "'" }
        for scalar in value.unicodeScalars {
            if scalar == "\"" { quoted += "\"\"" } else { quoted.unicodeScalars.append(scalar) }
        }
        return quoted + "\""
    }

    /// What a spreadsheet reads as the start of a formula or command: `= + - @`, their full-width forms, and the
    /// tab and line breaks that some readers skip before looking.
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠"]
}

/// A column of an imported CSV file: the header names a file may give it, and whether the file must have it.
public protocol CSVColumn: CaseIterable, Hashable, Sendable, RawRepresentable where RawValue == String {
    var names: [String] { get }
    var isRequired: Bool { get }
}

/// Where each column of an imported file is, read from its header row (names compared without case, spaces or a
/// byte-order mark); a file without a required column is refused naming it.
public struct CSVHeader<Column: CSVColumn>: Sendable {
    public var positions: [Column: Int]

    public init(_ cells: [String]) throws(BusinessRecordCSV.FileError) {
        var positions: [Column: Int] = [:]
        for (index, raw) in cells.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "\u{FEFF}", with: "")
            if let column = Column.allCases.first(where: { $0.names.contains(name) }), positions[column] == nil { positions[column] = index }
        }
        let missing = Column.allCases.filter { $0.isRequired && positions[$0] == nil }
        guard missing.isEmpty else { throw .missingColumns(missing.map(\.rawValue)) }
        self.positions = positions
    }
}
