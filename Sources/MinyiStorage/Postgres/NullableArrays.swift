import NIOCore
import PostgresNIO

/// An array bind whose elements may be NULL, in PostgreSQL's binary array format (PostgresNIO's own arrays cannot
/// hold NULL): one dimension, a flag saying whether any element is NULL, the element type, the length and lower bound,
/// then each element as its byte count (-1 for NULL) and its bytes.
struct NullableArray<Element: NullableArrayElement>: PostgresNonThrowingEncodable {
    var elements: [Element?]

    static var psqlType: PostgresDataType { Element.arrayType }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeInteger(elements.isEmpty ? 0 : 1, as: Int32.self)
        buffer.writeInteger(elements.contains(nil) ? 1 : 0, as: Int32.self)
        buffer.writeInteger(Element.elementType.rawValue)
        guard !elements.isEmpty else { return }
        buffer.writeInteger(Int32(elements.count))
        buffer.writeInteger(1, as: Int32.self)
        for element in elements {
            guard let element else {
                buffer.writeInteger(-1, as: Int32.self)
                continue
            }
            element.write(into: &buffer)
        }
    }
}

/// What a `NullableArray` can hold: how one element is written, its byte count first.
protocol NullableArrayElement: Equatable {
    static var elementType: PostgresDataType { get }
    static var arrayType: PostgresDataType { get }
    func write(into buffer: inout ByteBuffer)
}

extension String: NullableArrayElement {
    static var elementType: PostgresDataType { .text }
    static var arrayType: PostgresDataType { .textArray }
    func write(into buffer: inout ByteBuffer) {
        buffer.writeInteger(Int32(utf8.count))
        buffer.writeString(self)
    }
}

extension Double: NullableArrayElement {
    static var elementType: PostgresDataType { .float8 }
    static var arrayType: PostgresDataType { .float8Array }
    func write(into buffer: inout ByteBuffer) {
        buffer.writeInteger(Int32(8))
        buffer.writeInteger(bitPattern)
    }
}
