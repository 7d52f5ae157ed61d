import Foundation
import SupportSimCore

/// Inline SVG charts for the HTML report: pure functions from values to well-formed SVG markup
/// (each chart is one `<svg>` element that also parses as XML). Every label is sanitised and
/// escaped (`TerminalText`, then `HTMLEscape`), so trainee and scenario text cannot become markup.
/// Empty data gives a small chart that says so instead of an empty or broken drawing.
public enum SVGChart {
    /// One bar: a label, a value (drawn to scale from 0) and the text shown beside it.
    public struct Bar: Sendable, Equatable {
        public var label: String
        public var value: Double
        public var text: String
        public init(label: String, value: Double, text: String? = nil) {
            self.label = label; self.value = value; self.text = text ?? SVGChart.number(value)
        }
    }

    /// A group of bars side by side (one per series), e.g. the categories of one trainee.
    public struct Group: Sendable, Equatable {
        public var label: String
        /// One value per series, nil where there is none (nothing is drawn).
        public var values: [Double?]
        public init(label: String, values: [Double?]) { self.label = label; self.values = values }
    }

    /// One line of a line chart: a value (or a gap) at each point of the x axis.
    public struct Series: Sendable, Equatable {
        public var name: String
        public var values: [Double?]
        public init(name: String, values: [Double?]) { self.name = name; self.values = values }
    }

    /// Colours of the series, in order (then again from the start).
    public static let palette = ["#4a7fb0", "#d08a2c", "#5a9e5a", "#b0506a", "#7a64b0", "#3a9a9a", "#a08040", "#777777"]

    static func colour(_ i: Int) -> String { palette[i % palette.count] }

    /// Sanitised (no control or escape sequences, on one line) and escaped for SVG and HTML.
    static func h(_ s: String) -> String { HTMLEscape.escape(TerminalText.sanitize(s, keepNewlines: false)) }

    /// A label cut to `max` characters, with an ellipsis.
    static func short(_ s: String, _ max: Int) -> String {
        let flat = TerminalText.sanitize(s, keepNewlines: false)
        return flat.count <= max ? flat : String(flat.prefix(max - 1)) + "…"
    }

    /// A number with at most one decimal (no trailing ".0").
    public static func number(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
    }

    static func open(_ width: Int, _ height: Int, _ title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"\(width)\" height=\"\(height)\" "
            + "viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(h(title))\"><title>\(h(title))</title>"
    }

    static func empty(_ title: String, _ message: String, width: Int) -> String {
        open(width, 40, title) + "<text class=\"empty\" x=\"8\" y=\"24\">\(h(message))</text></svg>"
    }

    // MARK: - Vertical bars (the histogram)

    /// Bars standing on a baseline, heights proportional to the values (the tallest fills the plot).
    public static func columns(_ bars: [Bar], title: String, empty message: String, width: Int = 640, height: Int = 220) -> String {
        guard !bars.isEmpty, bars.contains(where: { $0.value > 0 }) else { return empty(title, message, width: width) }
        let top = 18.0, bottom = 30.0, left = 10.0
        let plot = Double(height) - top - bottom
        let step = (Double(width) - 2 * left) / Double(bars.count)
        let maximum = bars.map(\.value).max() ?? 1
        var s = open(width, height, title)
        let base = Double(height) - bottom
        s += "<line class=\"axis\" x1=\"\(left)\" y1=\"\(base)\" x2=\"\(Double(width) - left)\" y2=\"\(base)\" stroke=\"#999\"/>"
        for (i, bar) in bars.enumerated() {
            let barHeight = maximum > 0 ? max(0, bar.value) / maximum * plot : 0
            let x = left + Double(i) * step + step * 0.1
            let y = base - barHeight
            s += "<rect class=\"chart-bar\" x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(step * 0.8))\" height=\"\(f(barHeight))\" "
                + "fill=\"\(colour(0))\" data-value=\"\(number(bar.value))\"><title>\(h(bar.label)): \(h(bar.text))</title></rect>"
            if bar.value > 0 {
                s += "<text class=\"value\" x=\"\(f(x + step * 0.4))\" y=\"\(f(y - 3))\" text-anchor=\"middle\">\(h(bar.text))</text>"
            }
            s += "<text class=\"label\" x=\"\(f(x + step * 0.4))\" y=\"\(f(base + 16))\" text-anchor=\"middle\">\(h(short(bar.label, 12)))</text>"
        }
        return s + "</svg>"
    }

    // MARK: - Horizontal bars (weakest skills)

    /// One row per bar, lengths proportional to the values against `scale` (default: the largest).
    public static func rows(_ bars: [Bar], title: String, empty message: String, scale: Double? = nil,
                            width: Int = 640, labelWidth: Int = 300) -> String {
        guard !bars.isEmpty else { return empty(title, message, width: width) }
        let rowHeight = 22.0, top = 6.0
        let height = Int(top * 2 + rowHeight * Double(bars.count))
        let plot = Double(width - labelWidth) - 60
        let maximum = scale ?? (bars.map(\.value).max() ?? 1)
        var s = open(width, height, title)
        for (i, bar) in bars.enumerated() {
            let y = top + Double(i) * rowHeight
            let length = maximum > 0 ? min(1, max(0, bar.value) / maximum) * plot : 0
            s += "<text class=\"label\" x=\"\(labelWidth - 6)\" y=\"\(f(y + 15))\" text-anchor=\"end\">"
                + "\(h(short(bar.label, labelWidth / 7)))<title>\(h(bar.label))</title></text>"
            s += "<rect class=\"chart-bar\" x=\"\(labelWidth)\" y=\"\(f(y + 3))\" width=\"\(f(length))\" height=\"\(f(rowHeight - 6))\" "
                + "fill=\"\(colour(3))\" data-value=\"\(number(bar.value))\"/>"
            s += "<text class=\"value\" x=\"\(f(Double(labelWidth) + length + 4))\" y=\"\(f(y + 15))\">\(h(bar.text))</text>"
        }
        return s + "</svg>"
    }

    // MARK: - Grouped bars (categories per trainee)

    /// Groups of bars (one bar per series) against a fixed 0…`scale` axis, with a legend.
    public static func groupedColumns(_ groups: [Group], series: [String], title: String, empty message: String,
                                      scale: Double = 100, width: Int = 640, height: Int = 240) -> String {
        guard !groups.isEmpty, !series.isEmpty, groups.contains(where: { $0.values.contains { $0 != nil } }) else {
            return empty(title, message, width: width)
        }
        let top = 24.0, bottom = 30.0, left = 34.0, right = 8.0
        let plot = Double(height) - top - bottom
        let base = Double(height) - bottom
        let step = (Double(width) - left - right) / Double(groups.count)
        let barWidth = step * 0.8 / Double(series.count)
        var s = open(width, height, title)
        s += legend(series, y: 12, left: left)
        s += axis(left: left, right: Double(width) - right, top: top, base: base, scale: scale)
        for (g, group) in groups.enumerated() {
            let x0 = left + Double(g) * step + step * 0.1
            for (i, value) in group.values.enumerated() where i < series.count {
                guard let value else { continue }
                let barHeight = scale > 0 ? min(1, max(0, value) / scale) * plot : 0
                s += "<rect class=\"chart-bar\" x=\"\(f(x0 + Double(i) * barWidth))\" y=\"\(f(base - barHeight))\" "
                    + "width=\"\(f(barWidth))\" height=\"\(f(barHeight))\" fill=\"\(colour(i))\" data-value=\"\(number(value))\">"
                    + "<title>\(h(group.label)) · \(h(series[i])): \(number(value))</title></rect>"
            }
            s += "<text class=\"label\" x=\"\(f(x0 + step * 0.4))\" y=\"\(f(base + 16))\" text-anchor=\"middle\">"
                + "\(h(short(group.label, max(4, Int(step / 7)))))<title>\(h(group.label))</title></text>"
        }
        return s + "</svg>"
    }

    // MARK: - Lines (trend)

    /// One polyline per series over the x labels, against a fixed 0…`scale` axis, with a legend.
    /// A gap (nil) breaks the line; a lone point is drawn as a dot.
    public static func lines(_ series: [Series], xLabels: [String], title: String, empty message: String,
                             scale: Double = 100, width: Int = 640, height: Int = 240) -> String {
        guard !xLabels.isEmpty, series.contains(where: { $0.values.contains { $0 != nil } }) else {
            return empty(title, message, width: width)
        }
        let top = 24.0, bottom = 30.0, left = 34.0, right = 16.0
        let plot = Double(height) - top - bottom
        let base = Double(height) - bottom
        let step = xLabels.count > 1 ? (Double(width) - left - right) / Double(xLabels.count - 1) : 0
        func x(_ i: Int) -> Double { xLabels.count > 1 ? left + Double(i) * step : (left + Double(width) - right) / 2 }
        func y(_ v: Double) -> Double { base - (scale > 0 ? min(1, max(0, v) / scale) * plot : 0) }
        var s = open(width, height, title)
        s += legend(series.map(\.name), y: 12, left: left)
        s += axis(left: left, right: Double(width) - right, top: top, base: base, scale: scale)
        // At most about 8 x labels, evenly spaced, always the first and the last.
        let every = max(1, Int((Double(xLabels.count) / 8).rounded(.up)))
        for (i, label) in xLabels.enumerated() where i % every == 0 || i == xLabels.count - 1 {
            if i != xLabels.count - 1, xLabels.count - 1 - i < every / 2 { continue }
            s += "<text class=\"label\" x=\"\(f(x(i)))\" y=\"\(f(base + 16))\" text-anchor=\"middle\">\(h(label))</text>"
        }
        for (n, line) in series.enumerated() {
            var runs: [[(Int, Double)]] = [[]]
            for (i, value) in line.values.enumerated() where i < xLabels.count {
                if let value { runs[runs.count - 1].append((i, value)) } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
            }
            for run in runs where !run.isEmpty {
                if run.count > 1 {
                    let points = run.map { "\(f(x($0.0))),\(f(y($0.1)))" }.joined(separator: " ")
                    s += "<polyline class=\"line\" fill=\"none\" stroke=\"\(colour(n))\" stroke-width=\"2\" points=\"\(points)\"/>"
                }
                for (i, value) in run {
                    s += "<circle class=\"point\" cx=\"\(f(x(i)))\" cy=\"\(f(y(value)))\" r=\"3\" fill=\"\(colour(n))\" "
                        + "data-value=\"\(number(value))\"><title>\(h(line.name)) · \(h(xLabels[i])): \(number(value))</title></circle>"
                }
            }
        }
        return s + "</svg>"
    }

    // MARK: - Parts

    static func legend(_ names: [String], y: Double, left: Double) -> String {
        var s = "", x = left
        for (i, name) in names.enumerated() {
            let label = short(name, 18)
            s += "<rect x=\"\(f(x))\" y=\"\(f(y - 9))\" width=\"10\" height=\"10\" fill=\"\(colour(i))\"/>"
                + "<text class=\"legend\" x=\"\(f(x + 14))\" y=\"\(f(y))\">\(h(label))</text>"
            x += 24 + Double(label.count) * 7
        }
        return s
    }

    static func axis(left: Double, right: Double, top: Double, base: Double, scale: Double) -> String {
        var s = ""
        for k in 0...4 {
            let v = scale * Double(k) / 4
            let y = base - (base - top) * Double(k) / 4
            s += "<line class=\"grid\" x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(right))\" y2=\"\(f(y))\" stroke=\"#ddd\"/>"
                + "<text class=\"tick\" x=\"\(f(left - 4))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(number(v))</text>"
        }
        return s
    }

    /// A coordinate with at most one decimal.
    static func f(_ v: Double) -> String { number(v) }
}
