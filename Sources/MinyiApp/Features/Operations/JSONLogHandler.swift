import Foundation
import Logging
import Synchronization

/// Logs as one JSON object per line on standard output (`MINYI_LOG_FORMAT=json`), for a log shipper: the time
/// (RFC 3339, UTC), the level, the logger's label, the message and the metadata as strings. Each line is written
/// whole, and at once, whether standard output is a terminal, a pipe or a file.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    let label: String
    private static let lock = Mutex(())

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(
        level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String, file: String, function: String,
        line: UInt
    ) {
        var fields: [String: String] = [:]
        for (key, value) in metadata.merging(explicit ?? [:], uniquingKeysWith: { $1 }) { fields[key] = "\(value)" }
        Self.write(level: level.rawValue, label: label, message: message.description, metadata: fields, source: source)
    }

    /// One line: also used for what the command line says (the start banner), so that every line is JSON.
    public static func write(level: String, label: String, message: String, metadata: [String: String] = [:], source: String? = nil) {
        var object: [String: Any] = ["time": timestamp(), "level": level, "label": label, "message": message]
        if !metadata.isEmpty { object["metadata"] = metadata }
        if let source { object["source"] = source }
        guard var data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        data.append(0x0A)
        lock.withLock { _ in FileHandle.standardOutput.write(data) }
    }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }

    /// Whether the environment asks for JSON logs.
    public static var isRequested: Bool { ProcessInfo.processInfo.environment["MINYI_LOG_FORMAT"]?.lowercased() == "json" }
}
