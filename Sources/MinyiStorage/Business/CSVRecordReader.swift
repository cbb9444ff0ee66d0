import Foundation
import MinyiCore

/// Reads a CSV file record by record in chunks, never holding the whole file: checks that every line is UTF-8,
/// drops a byte-order mark, accepts CRLF, skips blank lines, and joins lines inside quoted cells.
struct CSVRecordReader {
    struct Record {
        /// The line the record starts on (1-based).
        var line: Int
        var cells: [String]
        var text: String
        /// Bytes of the file read so far.
        var offset: Int
    }

    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private var lineNumber = 0
    private var consumed = 0
    /// The most bytes of the file held at once.
    private(set) var peakBuffer = 0

    static let chunkSize = 1 << 20

    init(url: URL) throws {
        handle = try FileHandle(forReadingFrom: url)
    }

    /// The next line's text without its line break; nil at the end of the file.
    private mutating func nextLine() throws -> String? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                var end = newline
                if end > start, buffer[end - 1] == 0x0D { end -= 1 }
                let text = try decode(buffer[start..<end])
                consumed += newline + 1 - start
                start = newline + 1
                return text
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                var end = buffer.count
                if buffer[end - 1] == 0x0D { end -= 1 }
                let text = try decode(buffer[start..<end])
                consumed += buffer.count - start
                start = buffer.count
                return text
            }
            buffer.removeSubrange(0..<start)
            start = 0
            let chunk = try handle.read(upToCount: Self.chunkSize) ?? Data()
            if chunk.isEmpty { atEnd = true } else { buffer.append(contentsOf: chunk) }
            peakBuffer = max(peakBuffer, buffer.count)
        }
    }

    private mutating func decode(_ bytes: ArraySlice<UInt8>) throws -> String {
        lineNumber += 1
        var bytes = bytes
        if lineNumber == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw BusinessRecordCSV.FileError.notUTF8(line: lineNumber) }
        return text
    }

    /// The next record; nil at the end of the file.
    mutating func next() throws -> Record? {
        while let first = try nextLine() {
            if first.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let line = lineNumber
            var text = first
            while true {
                if let cells = BusinessRecordCSV.cells(text[...]) { return Record(line: line, cells: cells, text: text, offset: consumed) }
                guard let more = try nextLine() else { throw BusinessRecordCSV.FileError.unterminatedQuote(line: line) }
                text += "\n" + more
            }
        }
        return nil
    }

    /// Calls `body` with every record.
    static func forEach(url: URL, _ body: (Record) throws -> Void) throws {
        var reader = try CSVRecordReader(url: url)
        while let record = try reader.next() { try body(record) }
    }
}
