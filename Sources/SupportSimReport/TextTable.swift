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
        func line(_ cells: [String], row: Int?) -> String {
            cells.indices.map { i in
                let fill = i == cells.count - 1 && !columns[i].rightAligned ? 0 : widths[i] - DisplayWidth.of(cells[i])
                let spaces = String(repeating: " ", count: max(0, fill))
                let text = style(row, i, cells[i])
                let before = i == 0 ? "" : String(repeating: " ", count: columns[i].gap)
                return before + (columns[i].rightAligned ? spaces + text : text + spaces)
            }
            .joined()
        }
        var out = line(columns.map(\.title), row: nil) + "\n"
        out += String(repeating: "─", count: widths.reduce(0, +) + columns.dropFirst().map(\.gap).reduce(0, +)) + "\n"
        for (index, row) in rows.enumerated() { out += line(row, row: index) + "\n" }
        return out
    }
}
