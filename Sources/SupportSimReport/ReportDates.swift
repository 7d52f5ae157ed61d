import Foundation

/// The dates `report --since/--until` take: a day `YYYY-MM-DD` (UTC), or a span back from now,
/// `30d` (days) or `4w` (weeks). `--since` starts at the beginning of its day; `--until` includes
/// its day (attempts before the start of the next day). A span is the moment that long before now.
public enum ReportDates {
    /// The moment `text` names; nil when it is neither form.
    public static func parse(_ text: String, now: Date, inclusiveEnd: Bool) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let unit = trimmed.last, "dw".contains(unit), let count = Int(trimmed.dropLast()), count >= 0, count <= 100_000 {
            return now.addingTimeInterval(-Double(count * (unit == "w" ? 7 : 1)) * 86_400)
        }
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        let calendar = AttemptsReport.utcCalendar
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar), let start = calendar.date(from: components) else { return nil }
        return inclusiveEnd ? calendar.date(byAdding: .day, value: 1, to: start) : start
    }
}
