extension Substring {
    /// The text without leading and trailing white space (Unicode's White_Space property: spaces of every width,
    /// tabs and line breaks), in plain Swift rather than through Foundation's bridged string.
    public var trimmed: String { String(trimmedSlice) }

    /// The same as a slice of this text, copied only if the caller makes a string of it.
    var trimmedSlice: Substring {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return self[endIndex...] }
        return Substring(scalars[first...last])
    }
}

extension String {
    /// The text without leading and trailing white space; the same string when it has none.
    public var trimmed: String {
        let slice = self[...].trimmedSlice
        return slice.startIndex == startIndex && slice.endIndex == endIndex ? self : String(slice)
    }
}

extension String {
    /// Whether the text holds a control character other than tab, line feed and carriage return: NUL, the other C0
    /// codes, DEL and the C1 codes. Such characters are refused rather than stored, because readers (terminals,
    /// spreadsheets, C libraries) cut or act on them.
    public var hasControlCharacters: Bool {
        var afterC2 = false
        for byte in utf8 {
            if afterC2, byte >= 0x80, byte <= 0x9F { return true }  // U+0080–U+009F, encoded C2 80 – C2 9F
            afterC2 = byte == 0xC2
            if byte < 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D { return true }
            if byte == 0x7F { return true }
        }
        return false
    }
}

extension ValidationError {
    /// Refuses a text that holds control characters, naming the field.
    public static func checkPlain(_ text: String?, field: String) throws(ValidationError) {
        guard let text, text.hasControlCharacters else { return }
        throw .invalid(field: field, message: "\(field) 含有不可见的控制字符，请删除后重试 (contains control characters)")
    }
}
