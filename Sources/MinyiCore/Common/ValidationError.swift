import Foundation

/// Bad input, naming the field it is about.
public enum ValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalid(field: String, message: String)

    public var field: String {
        switch self {
        case .invalid(let field, _): field
        }
    }

    public var description: String {
        switch self {
        case .invalid(let field, let message): "\(field): \(message)"
        }
    }
}
