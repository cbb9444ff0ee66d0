import Foundation

/// Bad input, naming the field it is about.
public enum ValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalid(field: String, message: String)

    public var field: String {
        switch self {
        case .invalid(let field, _): field
        }
    }

    /// What is wrong, without the field's name: a form shows it beside the field.
    public var message: String {
        switch self {
        case .invalid(_, let message): message
        }
    }

    public var description: String {
        switch self {
        case .invalid(let field, let message): "\(field): \(message)"
        }
    }
}

/// Every problem found in one input, each naming its field, so that a form can show them all at once.
public struct ValidationErrors: Error, Hashable, Sendable, CustomStringConvertible {
    public var errors: [ValidationError]

    public init(_ errors: [ValidationError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "\n") }

    /// The messages by field, the first for each.
    public var byField: [String: String] {
        var fields: [String: String] = [:]
        for error in errors where fields[error.field] == nil { fields[error.field] = error.message }
        return fields
    }
}

/// Runs a form's checks one after another and keeps every failure, one per field, instead of stopping at the first.
public struct Validator: Sendable {
    public private(set) var errors: [ValidationError] = []

    public init() {}

    /// Runs one check; on failure keeps its error (unless the field already has one) and returns nil.
    public mutating func check<T>(_ body: () throws(ValidationError) -> T) -> T? {
        do {
            return try body()
        } catch {
            fail(error)
            return nil
        }
    }

    public mutating func fail(_ error: ValidationError) {
        if !errors.contains(where: { $0.field == error.field }) { errors.append(error) }
    }

    public mutating func fail(_ field: String, _ message: String) { fail(.invalid(field: field, message: message)) }

    public var isEmpty: Bool { errors.isEmpty }

    /// Throws every error kept, or returns when there was none.
    public func finish() throws(ValidationErrors) {
        if !errors.isEmpty { throw ValidationErrors(errors) }
    }
}
