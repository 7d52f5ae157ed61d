import Foundation

/// A plain-text table with aligned columns: the first column left-aligned, the others right-aligned
/// (or all left-aligned, for tables of labelled values).
public struct TextTable: Sendable {
    public var header: [String]
    public var rows: [[String]] = []
    public var leftAligned: Bool

    public init(_ header: [String], leftAligned: Bool = false) { self.header = header; self.leftAligned = leftAligned }

    public mutating func add(_ row: [String]) { rows.append(row) }

    public func render() -> String {
        let all = [header] + rows
        let columns = all.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in all { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ row: [String]) -> String {
            row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i == 0 || leftAligned ? cell + pad : pad + cell
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}

/// Number formatting for reports.
public enum Format {
    /// "81.7%" (one decimal), or "n/a".
    public static func percent(_ fraction: Double?) -> String {
        guard let f = fraction else { return "n/a" }
        return String(format: "%.1f%%", f * 100)
    }

    public static func fixed(_ value: Double?, _ digits: Int = 3) -> String {
        guard let v = value else { return "n/a" }
        return String(format: "%.\(digits)f", v)
    }

    /// "23,456" for rates and counts.
    public static func grouped(_ value: Double) -> String {
        let n = Int(value.rounded())
        let digits = String(abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }

    /// Microseconds below 1 ms, milliseconds above.
    public static func latency(_ seconds: Double) -> String {
        seconds < 1e-3 ? String(format: "%.1f µs", seconds * 1e6) : String(format: "%.2f ms", seconds * 1e3)
    }
}

/// Latency figures of a set of per-call timings.
public struct LatencyStats: Sendable, Equatable, Encodable {
    public var count: Int
    public var p50: Double
    public var p99: Double
    public var max: Double
    public var mean: Double

    public init?(seconds: [Double]) {
        guard !seconds.isEmpty else { return nil }
        let sorted = seconds.sorted()
        count = sorted.count
        p50 = Metrics.percentile(sorted: sorted, 50)!
        p99 = Metrics.percentile(sorted: sorted, 99)!
        max = sorted[sorted.count - 1]
        mean = sorted.reduce(0, +) / Double(sorted.count)
    }
}
