extension Substring {
    /// The text without leading and trailing white space (Unicode's White_Space property: spaces of every width,
    /// tabs and line breaks), in plain Swift rather than through Foundation's bridged string.
    public var trimmed: String { String(trimmedSlice) }

    /// The same as a slice of this text, copied only if the caller makes a string of it.
    var trimmedSlice: Substring {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return self[endIndex...] }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
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
