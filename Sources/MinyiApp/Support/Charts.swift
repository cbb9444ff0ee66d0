import Foundation

/// Charts drawn on the server as SVG: readable without JavaScript and when printed.
enum Charts {
    static let palette = [
        "#1f5fbf", "#e07b00", "#2e9e57", "#c23b3b", "#7a4fc2", "#0f9fb0", "#9c6b2f", "#d45fa3", "#5b6475", "#a3a81f", "#3b6e8f", "#b36a00",
    ]

    struct Series {
        var name: String
        var values: [Double?]
    }

    /// A stacked bar chart: one bar per label, one segment per series. The axis ends at the first round number above the
    /// tallest bar; with `partialLast` the last bar (the month still running) is drawn faint and marked, so that it does not
    /// read as a drop.
    static func stackedBars(labels: [String], series: [Series], title: String, partialLast: String? = nil) -> HTML {
        let width = 760.0
        let height = 280.0
        let left = 44.0
        let bottom = 36.0
        let top = 12.0
        let totals = labels.indices.map { i in series.reduce(0.0) { $0 + ($1.values[i] ?? 0) } }
        let axis = niceAxis(totals.max() ?? 0)
        let maximum = axis.top
        let plotHeight = height - bottom - top
        let slot = (width - left - 8) / Double(max(1, labels.count))
        var shapes = ""
        for tick in 0...axis.ticks {
            let value = axis.step * Double(tick)
            let y = top + plotHeight * (1 - value / maximum)
            shapes += "<line x1=\"\(left)\" x2=\"\(width - 4)\" y1=\(q(y)) y2=\(q(y)) stroke=\"#d8dde6\"/>"
            shapes += "<text x=\"\(left - 6)\" y=\(q(y + 4)) text-anchor=\"end\" font-size=\"11\" fill=\"#5b6475\">\(Int(value))</text>"
        }
        for (i, label) in labels.enumerated() {
            var y = top + plotHeight
            let x = left + Double(i) * slot + slot * 0.15
            let partial = partialLast != nil && i == labels.count - 1
            for (s, entry) in series.enumerated() {
                let value = entry.values[i] ?? 0
                guard value > 0, maximum > 0 else { continue }
                let h = plotHeight * value / maximum
                y -= h
                shapes +=
                    """
                    <rect x=\(q(x)) y=\(q(y)) width=\(q(slot * 0.7)) height=\(q(h)) fill=\"\(palette[s % palette.count])\"\
                    \(partial ? " fill-opacity=\"0.4\"" : "")><title>\(HTML.escape(label)) \(HTML.escape(entry.name)): \(Int(value))</title></rect>
                    """
            }
            if partial {
                shapes +=
                    """
                    <rect x=\(q(x)) y=\(q(y)) width=\(q(slot * 0.7)) height=\(q(top + plotHeight - y)) fill=\"none\" stroke=\"#5b6475\" \
                    stroke-dasharray=\"3 2\"/>
                    """
            }
            shapes +=
                """
                <text x=\(q(x + slot * 0.35)) y=\(q(height - bottom + 16)) text-anchor=\"middle\" font-size=\"10\" \
                fill=\"#1d2330\">\(HTML.escape(label))\(partial ? "*" : "")</text>
                """
            shapes +=
                """
                <text x=\(q(x + slot * 0.35)) y=\(q(top + plotHeight * (1 - totals[i] / max(1, maximum)) - 3)) text-anchor=\"middle\" \
                font-size=\"10\" fill=\"#5b6475\">\(Int(totals[i]))</text>
                """
        }
        return frame(shapes, width: width, height: height, title: title, legend: series.map(\.name), note: partialLast.map { "* " + $0 })
    }

    /// A line chart of rates (0–100%), one line per series; gaps where a month had nothing to count. Each line is named at
    /// its end (nudged apart where lines meet) and drawn in its own dash, so lines that coincide can still be told apart;
    /// with `partialLast` the last month's points are hollow and its segment dotted.
    static func rateLines(labels: [String], series: [Series], title: String, partialLast: String? = nil) -> HTML {
        let width = 760.0
        let height = 260.0
        let left = 44.0
        let bottom = 36.0
        let top = 12.0
        let right = series.count > 1 ? 112.0 : 24.0
        let plotHeight = height - bottom - top
        let step = (width - left - right) / Double(max(1, labels.count - 1))
        var shapes = ""
        for tick in 0...4 {
            let y = top + plotHeight * (1 - Double(tick) / 4)
            shapes += "<line x1=\"\(left)\" x2=\"\(width - right + 8)\" y1=\(q(y)) y2=\(q(y)) stroke=\"#d8dde6\"/>"
            shapes += "<text x=\"\(left - 6)\" y=\(q(y + 4)) text-anchor=\"end\" font-size=\"11\" fill=\"#5b6475\">\(tick * 25)%</text>"
        }
        let last = labels.count - 1
        for (i, label) in labels.enumerated() {
            let partial = partialLast != nil && i == last
            shapes +=
                """
                <text x=\(q(left + Double(i) * step)) y=\(q(height - bottom + 16)) text-anchor=\"middle\" font-size=\"10\" \
                fill=\"#1d2330\">\(HTML.escape(label))\(partial ? "*" : "")</text>
                """
        }
        let dashes = ["", " stroke-dasharray=\"6 3\"", " stroke-dasharray=\"2 3\"", " stroke-dasharray=\"10 3 2 3\"", " stroke-dasharray=\"12 4\""]
        var ends: [(y: Double, name: String, colour: String)] = []
        for (s, entry) in series.enumerated() {
            let colour = palette[s % palette.count]
            var path = ""
            var tail = ""
            var previous: (x: Double, y: Double)?
            for (i, value) in entry.values.enumerated() {
                guard let value else {
                    previous = nil
                    continue
                }
                let x = left + Double(i) * step
                let y = top + plotHeight * (1 - min(1, max(0, value)))
                let partial = partialLast != nil && i == last
                if partial {
                    if let previous { tail = String(format: "M%.1f %.1f L%.1f %.1f", previous.x, previous.y, x, y) }
                } else {
                    path += (previous == nil ? "M" : "L") + String(format: "%.1f %.1f ", x, y)
                }
                previous = (x, y)
                shapes +=
                    """
                    <circle cx=\(q(x)) cy=\(q(y)) r=\"3\" fill=\"\(partial ? "#fff" : colour)\" stroke=\"\(colour)\" stroke-width=\"1.5\">\
                    <title>\(HTML.escape(labels[i])) \(HTML.escape(entry.name)): \(String(format: "%.1f%%", value * 100))</title></circle>
                    """
            }
            if !path.isEmpty {
                shapes += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dashes[s % dashes.count])/>"
            }
            if !tail.isEmpty {
                shapes += "<path d=\"\(tail)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" stroke-dasharray=\"1 3\"/>"
            }
            if let previous, series.count > 1 { ends.append((previous.y, entry.name, colour)) }
        }
        // The names at the lines' ends, pushed apart so that none overlaps.
        ends.sort { $0.y < $1.y }
        var placed: [Double] = []
        for end in ends {
            let y = max(end.y + 4, (placed.last ?? -100) + 12)
            placed.append(y)
            shapes +=
                """
                <text x=\(q(width - right + 12)) y=\(q(y)) font-size=\"10\" fill=\"\(end.colour)\">\(HTML.escape(end.name))</text>
                """
        }
        return frame(shapes, width: width, height: height, title: title, legend: series.map(\.name), note: partialLast.map { "* " + $0 })
    }

    /// Horizontal bars comparing a few series per label (this month, the month before, a year earlier).
    /// With `maximum` the bars are read against it (a rate's 100%), else against the largest value.
    static func compareBars(
        labels: [String], series: [Series], title: String, maximum: Double? = nil, unit: String = "", decimals: Int = 0
    ) -> HTML {
        let width = 760.0
        let left = 120.0
        let rowHeight = 14.0 * Double(max(1, series.count)) + 12
        let top = 6.0
        let height = top + rowHeight * Double(max(1, labels.count)) + 6
        let maximum = maximum ?? max(1, series.flatMap { $0.values.compactMap { $0 } }.max() ?? 1)
        func figure(_ value: Double) -> String { String(format: "%.\(decimals)f", value) + unit }
        let colours = ["#1f5fbf", "#9aa5b8", "#e0b04c"]
        var shapes = ""
        for (i, label) in labels.enumerated() {
            let y0 = top + Double(i) * rowHeight
            shapes +=
                """
                <text x=\"\(left - 8)\" y=\(q(y0 + rowHeight / 2)) text-anchor=\"end\" font-size=\"12\" \
                fill=\"#1d2330\">\(HTML.escape(label))</text>
                """
            for (s, entry) in series.enumerated() {
                let value = entry.values[i] ?? 0
                let w = (width - left - 60) * value / maximum
                let y = y0 + 4 + Double(s) * 14
                shapes +=
                    """
                    <rect x=\"\(left)\" y=\(q(y)) width=\(q(max(w, 1))) height=\"11\" \
                    fill=\"\(colours[s % colours.count])\"><title>\(HTML.escape(label)) \(HTML.escape(entry.name)): \(figure(value))</title></rect>
                    """
                let shown = entry.values[i] == nil ? "—" : figure(value)
                shapes += "<text x=\(q(left + max(w, 1) + 4)) y=\(q(y + 10)) font-size=\"10\" fill=\"#5b6475\">\(HTML.escape(shown))</text>"
            }
        }
        let legend = series.enumerated().map {
            """
            <span><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" rx=\"2\" \
            fill=\"\(colours[$0.offset % colours.count])\"/></svg> \(HTML.escape($0.element.name))</span>
            """
        }.joined()
        return .trusted(
            """
            <figure class=\"chart\"><svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTML.escape(title))\" \
            xmlns=\"http://www.w3.org/2000/svg\" font-family=\"sans-serif\"><title>\(HTML.escape(title))</title>\(shapes)</svg><figcaption \
            class=\"legend\">\(legend)</figcaption></figure>
            """
        )
    }

    /// Horizontal bars, one per label (long names read better across than under a column), the value at each bar's
    /// end; `highlight` bars in the first colour, the others in grey.
    /// Bars from a label each; the axis ends at `maximum` when given (a rate's 100%), else at the largest value.
    static func horizontalBars(
        labels: [String], values: [Double], highlight: Set<Int> = [], title: String, unit: String = "", maximum: Double? = nil, decimals: Int = 0,
        width: Double = 760, labelWidth: Double = 250
    ) -> HTML {
        let row = 26.0
        let height = row * Double(max(1, labels.count)) + 8
        let maximum = maximum ?? max(1, values.max() ?? 0)
        func figure(_ value: Double) -> String { String(format: "%.\(decimals)f", value) }
        var shapes = ""
        for (i, label) in labels.enumerated() {
            let y = 4 + Double(i) * row
            let value = i < values.count ? values[i] : 0
            let length = (width - labelWidth - 70) * value / maximum
            let shown = label.count > 18 ? String(label.prefix(17)) + "…" : label
            let colour = highlight.isEmpty || highlight.contains(i) ? palette[0] : "#aab3c2"
            shapes +=
                """
                <text x=\(q(labelWidth - 8)) y=\(q(y + row * 0.62)) text-anchor=\"end\" font-size=\"12\" \
                    fill=\"#1d2330\">\(HTML.escape(shown))</text>\
                <rect x=\(q(labelWidth)) y=\(q(y + 3)) width=\(q(length)) height=\(q(row - 8)) rx=\"3\" fill=\"\(colour)\">\
                <title>\(HTML.escape(label)): \(figure(value))\(HTML.escape(unit))</title></rect>\
                <text x=\(q(labelWidth + length + 6)) y=\(q(y + row * 0.62)) font-size=\"12\" \
                    fill=\"#5b6475\">\(figure(value))\(HTML.escape(unit))</text>
                """
        }
        return frame(shapes, width: width, height: height, title: title, legend: [], narrow: width < 600)
    }

    /// `narrow`: a chart drawn for a column (its text would grow too large across a whole page).
    private static func frame(
        _ shapes: String, width: Double, height: Double, title: String, legend: [String], note: String? = nil, narrow: Bool = false
    ) -> HTML {
        let legendItems =
            legend.enumerated().map {
                """
                <span><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" rx=\"2\" \
                fill=\"\(palette[$0.offset % palette.count])\"/></svg> \(HTML.escape($0.element))</span>
                """
            }
            .joined() + (note.map { "<span class=\"chart-note\">\(HTML.escape($0))</span>" } ?? "")
        return .trusted(
            """
            <figure class=\"chart\(narrow ? " narrow" : "")\"><svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" \
            aria-label=\"\(HTML.escape(title))\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"sans-serif\"><title>\(HTML.escape(title))\
            </title>\(shapes)</svg><figcaption class=\"legend\">\(legendItems)</figcaption></figure>
            """
        )
    }

    private static func q(_ value: Double) -> String { "\"" + String(format: "%.1f", value) + "\"" }

    /// An axis for values up to `maximum`: a round step (1, 2 or 5 times a power of ten) and at most six of them, ending
    /// at the first step above the largest value (a peak of 101 gets 0–120 in twenties, not 0–200).
    static func niceAxis(_ maximum: Double) -> (top: Double, step: Double, ticks: Int) {
        guard maximum > 0 else { return (4, 1, 4) }
        var magnitude = max(1, pow(10, floor(log10(maximum / 6))))
        while true {
            for factor in [1.0, 2.0, 5.0] {
                let step = factor * magnitude
                let ticks = Int((maximum / step).rounded(.up))
                if ticks <= 6 { return (Double(ticks) * step, step, ticks) }
            }
            magnitude *= 10
        }
    }
}
