import Foundation
import MinyiCore

extension QRCode {
    /// The code as inline SVG: one path of dark squares, a light quiet zone of four modules, scaled by its box.
    func svg(label: String, className: String = "qr") -> HTML {
        let quiet = 4
        let side = size + 2 * quiet
        var path = ""
        path.reserveCapacity(size * size * 4)
        for row in 0..<size {
            var column = 0
            while column < size {
                guard isDark(row: row, column: column) else {
                    column += 1
                    continue
                }
                // A run of dark modules as one rectangle.
                var end = column
                while end + 1 < size && isDark(row: row, column: end + 1) { end += 1 }
                path += "M\(column + quiet) \(row + quiet)h\(end - column + 1)v1h-\(end - column + 1)z"
                column = end + 1
            }
        }
        return """
            <svg class="\(className)" viewBox="0 0 \(side) \(side)" role="img" aria-label="\(label)" shape-rendering="crispEdges" \
            xmlns="http://www.w3.org/2000/svg"><rect width="\(side)" height="\(side)" fill="#fff"/><path d="\(path)" fill="#000"/></svg>
            """
    }
}
