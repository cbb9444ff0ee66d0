import NIOCore
import PostgresNIO

/// A `text[]` bind whose elements may be NULL, in PostgreSQL's binary array format (PostgresNIO's own arrays cannot
/// hold NULL): one dimension, a flag saying whether any element is NULL, the element type, the length and lower bound,
/// then each element as its byte count (-1 for NULL) and its bytes.
struct NullableTextArray: PostgresNonThrowingEncodable {
    var elements: [String?]

    static var psqlType: PostgresDataType { .textArray }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        writeArrayHeader(into: &buffer, count: elements.count, hasNull: elements.contains(nil), element: .text)
        for element in elements {
            guard let element else {
                buffer.writeInteger(-1, as: Int32.self)
                continue
            }
            buffer.writeInteger(Int32(element.utf8.count))
            buffer.writeString(element)
        }
    }
}

/// A `float8[]` bind whose elements may be NULL (see `NullableTextArray`).
struct NullableDoubleArray: PostgresNonThrowingEncodable {
    var elements: [Double?]

    static var psqlType: PostgresDataType { .float8Array }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        writeArrayHeader(into: &buffer, count: elements.count, hasNull: elements.contains(nil), element: .float8)
        for element in elements {
            guard let element else {
                buffer.writeInteger(-1, as: Int32.self)
                continue
            }
            buffer.writeInteger(Int32(8))
            buffer.writeInteger(element.bitPattern)
        }
    }
}

/// The header of a one-dimensional binary array; an empty array has no dimensions.
private func writeArrayHeader(into buffer: inout ByteBuffer, count: Int, hasNull: Bool, element: PostgresDataType) {
    buffer.writeInteger(count == 0 ? 0 : 1, as: Int32.self)
    buffer.writeInteger(hasNull ? 1 : 0, as: Int32.self)
    buffer.writeInteger(element.rawValue)
    guard count > 0 else { return }
    buffer.writeInteger(Int32(count))
    buffer.writeInteger(1, as: Int32.self)
}
