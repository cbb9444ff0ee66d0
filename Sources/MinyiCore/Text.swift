extension StringProtocol {
    /// The text without leading and trailing white space (Unicode's White_Space property: spaces of every width,
    /// tabs and line breaks), in plain Swift rather than through Foundation's bridged string.
    public var trimmed: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[first...last])
        return String(result)
    }
}
