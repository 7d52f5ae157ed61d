import SupportSimCore

/// A plain-text table with columns aligned by display width (Cyrillic one column, wide characters two).
public struct TextTable: Sendable {
    public struct Column: Sendable {
        public var title: String
        public var rightAligned: Bool
        /// Spaces before this column (ignored for the first).
        public var gap: Int
        public init(_ title: String, rightAligned: Bool = false, gap: Int = 2) {
            self.title = title; self.rightAligned = rightAligned; self.gap = gap
        }
    }

    public var columns: [Column]
    /// Cells as plain text (already sanitised); each row has one cell per column.
    public var rows: [[String]]

    public init(columns: [Column], rows: [[String]]) { self.columns = columns; self.rows = rows }

    /// The header, a rule, then the rows, each line ending in a newline.
    /// `style` decorates a cell (row nil for the header) after padding is worked out on the plain
    /// text, so styling never shifts the columns; the last column is not padded unless it is right-aligned.
    public func render(style: (_ row: Int?, _ column: Int, _ text: String) -> String = { $2 }) -> String {
        let widths = columns.indices.map { i in
            max(DisplayWidth.of(columns[i].title), rows.map { DisplayWidth.of($0[i]) }.max() ?? 0)
        }
        var out = Self.line(columns.map(\.title), columns: columns, widths: widths, style: { style(nil, $0, $1) }) + "\n"
        out += Self.rule(columns: columns, widths: widths) + "\n"
        for (index, row) in rows.enumerated() {
            out += Self.line(row, columns: columns, widths: widths, style: { style(index, $0, $1) }) + "\n"
        }
        return out
    }

    /// One line of cells (without its line end) padded to `widths`, as `render` lays it out.
    static func line(_ cells: [String], columns: [Column], widths: [Int], style: (_ column: Int, _ text: String) -> String)
        -> String
    {
        var out = ""
        for i in cells.indices {
            let fill = i == cells.count - 1 && !columns[i].rightAligned ? 0 : widths[i] - DisplayWidth.of(cells[i])
            let spaces = String(repeating: " ", count: max(0, fill))
            let text = style(i, cells[i])
            if i > 0 { out += String(repeating: " ", count: columns[i].gap) }
            out += columns[i].rightAligned ? spaces + text : text + spaces
        }
        return out
    }

    /// The rule under the header, as wide as the columns and their gaps.
    static func rule(columns: [Column], widths: [Int]) -> String {
        String(repeating: "─", count: widths.reduce(0, +) + columns.dropFirst().map(\.gap).reduce(0, +))
    }
}
