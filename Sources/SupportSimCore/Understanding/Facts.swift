/// Kinds of key facts a reply can state.
public enum FactType: String, Sendable, Equatable, CaseIterable, Codable { case value, time, number, ticket, email, phone }

/// One fact found in a reply.
public struct FoundFact: Sendable, Equatable {
    public var type: FactType
    public var text: String          // as typed
    public var source: Range<Int>    // UTF-8 range in the reply
    public var tokens: Range<Int>    // token indices covered (may be empty for non-word facts)
    public var value: String         // canonical: e-mail lower-cased, phone digits only (with leading +), ticket id upper-cased, number in plain decimal
    public var number: Double?       // for numbers, including words: three/три/трёх/пять/ten, "1,5"
    public var time: TimeFrame?      // for time frames

    public init(type: FactType, text: String, source: Range<Int>, tokens: Range<Int>, value: String,
                number: Double? = nil, time: TimeFrame? = nil) {
        self.type = type
        self.text = text
        self.source = source
        self.tokens = tokens
        self.value = value
        self.number = number
        self.time = time
    }
}

/// A promised time: a relative bound, a time of day, days ahead, or a combination.
public struct TimeFrame: Sendable, Equatable {
    /// Relative upper bound in minutes: "within 30 minutes" 30, «в течение часа» 60, «через 2 часа» 120, «в течение недели» 10080, "in a couple of hours" 120, "within the day"/"today"/«сегодня» nil, "within 1-2 business days" 2880.
    public var minutes: Int?
    /// An absolute time of day in minutes since midnight: "by 3 pm" 900, «до 15:00» 900, «до конца дня»/"by end of day"/"EOD" 1080 (working day end 18:00), "by noon" 720.
    public var clock: Int?
    /// Days ahead for "tomorrow"/«завтра» 1, "by Monday" nil.
    public var days: Int?

    public init(minutes: Int? = nil, clock: Int? = nil, days: Int? = nil) {
        self.minutes = minutes
        self.clock = clock
        self.days = days
    }

    /// The end of the working day, in minutes since midnight (18:00).
    public static let endOfWorkingDay = 18 * 60

    /// The upper bound in minutes from `now` (minutes since midnight), or nil when it cannot be known.
    ///
    /// A relative bound is itself. A time of day needs `now`: on day `days` (today when nil; a time
    /// already past today means tomorrow). Days without a time mean the end of that working day
    /// (the end of today's day at midnight once the working day is over). A past time gives 0.
    public func bound(now: Int?) -> Int? {
        if let minutes { return minutes }
        guard let now else { return nil }
        if let clock {
            if let days { return max(0, days * 1440 + clock - now) }
            let b = clock - now
            return b >= 0 ? b : b + 1440
        }
        if let days {
            let end = days == 0 && now >= Self.endOfWorkingDay ? 1440 : Self.endOfWorkingDay
            return max(0, days * 1440 + end - now)
        }
        return nil
    }
}

/// Finds key facts in a reply: time frames, numbers, ticket ids, e-mail addresses and phone
/// numbers. Linear in the reply's length; each type is found on its own call.
///
/// - Time frames (`TimeFrameReader`): durations ("within 30 minutes", «в течение двух часов»,
///   «через полчаса», "in the next hour"), times of day ("by 3 pm", «до 15:00», «до конца
///   рабочего дня», "EOD", "by noon"), days ("tomorrow", «завтра», "by Monday"). Vague words
///   («скоро», "ASAP", "shortly", «в ближайшее время») are not time frames.
/// - Numbers: digits ("3", "1,5" → 1.5) and number words 0–20 and tens in English and Russian
///   in any case form («трёх», «пяти»), tens and units together ("twenty five", «двадцать пять»).
///   Digits inside phone numbers and e-mail addresses are not numbers.
/// - Ticket ids: "INC-0042", "REQ123456", "#4512", "ticket 4512", «заявка 4512», «заявки № 4512».
/// - E-mail addresses (ASCII); phone numbers: "+7 (495) 123-45-67", "8 800 555 35 35",
///   "+1 415 555 0100", with an extension "ext. 12" / «доб. 12» (value "+14155550100;ext=12").
public enum FactFinder {
    /// All facts of a type in a reply (`value` is not found here: those are author phrases matched by the Matcher).
    public static func find(_ type: FactType, in raw: String, _ text: NormalizedText) -> [FoundFact] {
        switch type {
        case .value: return []
        case .time: return TimeFrameReader.find(raw, text.tokens)
        case .number: return numbers(raw, text.tokens)
        case .ticket: return tickets(raw, text.tokens)
        case .email: return emails(raw, text.tokens)
        case .phone: return phones(raw, text.tokens)
        }
    }

    // MARK: - Numbers

    static func numbers(_ raw: String, _ tokens: [Token]) -> [FoundFact] {
        let skip = (emailRanges(raw) + phoneMatches(raw).map(\.range)).sorted { $0.lowerBound < $1.lowerBound }
        var facts: [FoundFact] = []
        var i = 0
        var s = 0
        while i < tokens.count {
            let source = tokens[i].source
            while s < skip.count, skip[s].upperBound <= source.lowerBound { s += 1 }
            if s < skip.count, skip[s].overlaps(source) { i += 1; continue }
            if let (value, count) = NumberWords.read(tokens, i, end: tokens.count) {
                let range = source.lowerBound..<tokens[i + count - 1].source.upperBound
                facts.append(FoundFact(type: .number, text: RawText.slice(raw, range), source: range,
                                       tokens: i..<(i + count), value: NumberWords.plain(value), number: value))
                i += count
            } else {
                i += 1
            }
        }
        return facts
    }

    // MARK: - Tickets

    /// Words before a number that make it a ticket id ("ticket 4512", «заявка 4512»); prefixes.
    static let ticketWords: [[UInt32]] = ["ticket", "request", "incident", "case", "ref", "заявк", "обращени",
                                          "тикет", "инцидент"].map(scalars)
    /// Words that may stand between a ticket word and the number ("ticket number 4512", «заявка номер 4512»).
    static let ticketFillers: Set<[UInt32]> = Set(["number", "no", "nr", "id", "номер", "под", "номером"].map(scalars))
    /// Letter prefixes of letters+digits words that are not ticket ids ("SHA256", "UTF8").
    static let notTicketPrefixes: Set<[UInt32]> = Set(["sha", "md", "utf", "iso", "ipv", "win", "rfc", "usb",
                                                        "hdmi", "ddr", "pcie", "ie", "mp", "x", "kb"].map(scalars))

    static func tickets(_ raw: String, _ tokens: [Token]) -> [FoundFact] {
        var facts: [FoundFact] = []
        let bytes = Array(raw.utf8.prefix(tokens.last?.source.upperBound ?? 0))
        for i in tokens.indices where tokens[i].hasDigit {
            let word = tokens[i].word
            var source = tokens[i].source
            var isTicket = false
            if let split = lettersThenDigits(word) {
                isTicket = !notTicketPrefixes.contains(Array(word[..<split.letters]))
            } else if word.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), word.count >= 2 {
                // "#4512", "№4512"
                let start = source.lowerBound
                if start >= 1, bytes[start - 1] == 0x23 {
                    isTicket = true; source = (start - 1)..<source.upperBound
                } else if start >= 3, bytes[start - 3] == 0xE2, bytes[start - 2] == 0x84, bytes[start - 1] == 0x96 {
                    isTicket = true; source = (start - 3)..<source.upperBound
                } else if word.count >= 3 {
                    var j = i - 1
                    if j >= 0, ticketFillers.contains(tokens[j].word) { j -= 1 }
                    if j >= 0, ticketWords.contains(where: { hasPrefix(tokens[j].word, $0) }) { isTicket = true }
                }
            }
            guard isTicket else { continue }
            let text = RawText.slice(raw, source)
            let id = TextNormalizer.string(word).uppercased()
            facts.append(FoundFact(type: .ticket, text: text, source: source, tokens: i..<(i + 1), value: id))
        }
        return facts
    }

    /// For "inc-0042", "req123456": where the letters end (2–6 letters, an optional hyphen, then 3+ digits).
    static func lettersThenDigits(_ word: [UInt32]) -> (letters: Int, digits: Int)? {
        var k = 0
        while k < word.count, TextNormalizer.isLetterValue(word[k]) { k += 1 }
        let letters = k
        guard letters >= 2, letters <= 6 else { return nil }
        if k < word.count, word[k] == 0x2D { k += 1 }
        let digitStart = k
        while k < word.count, word[k] >= 0x30 && word[k] <= 0x39 { k += 1 }
        guard k == word.count, k - digitStart >= 3 else { return nil }
        return (letters, k - digitStart)
    }

    // MARK: - E-mail

    static func emails(_ raw: String, _ tokens: [Token]) -> [FoundFact] {
        emailRanges(raw).map { range in
            let text = RawText.slice(raw, range)
            return FoundFact(type: .email, text: text, source: range, tokens: tokenRange(covering: range, tokens),
                             value: text.lowercased())
        }
    }

    static func emailRanges(_ raw: String) -> [Range<Int>] {
        guard raw.utf8.contains(0x40) else { return [] }
        let b = Array(raw.utf8)
        func local(_ c: UInt8) -> Bool {
            (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39)
                || c == 0x2E || c == 0x5F || c == 0x25 || c == 0x2B || c == 0x2D
        }
        func domain(_ c: UInt8) -> Bool {
            (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x2E || c == 0x2D
        }
        var out: [Range<Int>] = []
        var p = 0
        while p < b.count {
            guard b[p] == 0x40 else { p += 1; continue }
            var start = p
            while start > 0, local(b[start - 1]) { start -= 1 }
            while start < p, b[start] == 0x2E { start += 1 }
            var end = p + 1
            while end < b.count, domain(b[end]) { end += 1 }
            while end > p + 1, b[end - 1] == 0x2E || b[end - 1] == 0x2D { end -= 1 }
            let host = b[(p + 1)..<end]
            if start < p, let dot = host.lastIndex(of: 0x2E), dot > p + 1, end - dot - 1 >= 2,
               b[(dot + 1)..<end].allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) }) {
                out.append(start..<end)
                p = end
            } else {
                p += 1
            }
        }
        return out
    }

    // MARK: - Phones

    static func phones(_ raw: String, _ tokens: [Token]) -> [FoundFact] {
        phoneMatches(raw).map { match in
            FoundFact(type: .phone, text: RawText.slice(raw, match.range), source: match.range,
                      tokens: tokenRange(covering: match.range, tokens), value: match.value)
        }
    }

    /// Phone numbers: "+" or a digit not inside a word, then digits, single spaces, hyphens and
    /// brackets; 10–15 digits in groups (the groups after the first of 2+ digits), or 11 digits
    /// in one group starting with 7 or 8, or "+" and 8–15 digits, or 7 digits written 123-45-67.
    static func phoneMatches(_ raw: String) -> [(range: Range<Int>, value: String)] {
        let b = Array(raw.utf8)
        func digit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        func wordByte(_ c: UInt8) -> Bool {
            digit(c) || (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c >= 0x80
                || c == 0x2E || c == 0x2D || c == 0x5F || c == 0x40 || c == 0x3A || c == 0x2F || c == 0x23 || c == 0x2C
        }
        var out: [(range: Range<Int>, value: String)] = []
        var p = 0
        while p < b.count {
            let c = b[p]
            let plus = c == 0x2B && p + 1 < b.count && (digit(b[p + 1]) || b[p + 1] == 0x28 || b[p + 1] == 0x20)
            let opens = c == 0x28 && p + 1 < b.count && digit(b[p + 1])
            guard plus || opens || digit(c), p == 0 || !wordByte(b[p - 1]) else { p += 1; continue }
            var digits: [UInt8] = []
            var groups: [Int] = []
            var run = 0
            var hyphens = 0
            var k = plus ? p + 1 : p
            var lastDigitEnd = k
            while k < b.count {
                let x = b[k]
                if digit(x) {
                    digits.append(x); run += 1; lastDigitEnd = k + 1
                } else if x == 0x20 || x == 0x2D || x == 0x28 || x == 0x29 {
                    if x == 0x20, k + 1 < b.count, b[k + 1] == 0x20 { break }
                    if x == 0x2D { hyphens += 1 }
                    if run > 0 { groups.append(run); run = 0 }
                } else {
                    break
                }
                if digits.count > 15 { break }
                k += 1
            }
            if run > 0 { groups.append(run) }
            let followedByWord = lastDigitEnd < b.count && (digit(b[lastDigitEnd])
                || (b[lastDigitEnd] >= 0x41 && b[lastDigitEnd] <= 0x5A) || (b[lastDigitEnd] >= 0x61 && b[lastDigitEnd] <= 0x7A))
            let n = digits.count
            let grouped = groups.count >= 3 && groups.dropFirst().allSatisfy { $0 >= 2 }
            let ok = !followedByWord && n <= 15 && (
                (n >= 10 && grouped)
                || (groups.count == 1 && n == 11 && (digits[0] == 0x37 || digits[0] == 0x38))
                || (plus && n >= 8 && (groups.count == 1 || groups.dropFirst().allSatisfy { $0 >= 2 }))
                || (n == 7 && hyphens == 2 && groups == [3, 2, 2]))
            guard ok else { p = max(p + 1, lastDigitEnd); continue }
            var value = (plus ? "+" : "") + String(decoding: digits, as: UTF8.self)
            var end = lastDigitEnd
            if let (ext, extEnd) = phoneExtension(b, from: end) {
                value += ";ext=" + ext
                end = extEnd
            }
            out.append((p..<end, value))
            p = end
        }
        return out
    }

    /// An extension after a phone number: ", ext. 12", " x12", " (доб. 12)".
    static func phoneExtension(_ b: [UInt8], from start: Int) -> (String, Int)? {
        var k = start
        while k < b.count, k - start < 3, b[k] == 0x20 || b[k] == 0x2C || b[k] == 0x28 { k += 1 }
        let words: [[UInt8]] = [Array("ext".utf8), Array("Ext".utf8), Array("EXT".utf8), Array("x".utf8),
                                Array("доб".utf8), Array("Доб".utf8)]
        guard let word = words.first(where: { w in k + w.count <= b.count && Array(b[k..<(k + w.count)]) == w }) else {
            return nil
        }
        k += word.count
        if k < b.count, b[k] == 0x2E { k += 1 }
        while k < b.count, b[k] == 0x20 { k += 1 }
        let digitStart = k
        while k < b.count, k - digitStart < 6, b[k] >= 0x30 && b[k] <= 0x39 { k += 1 }
        guard k > digitStart else { return nil }
        var end = k
        if end < b.count, b[end] == 0x29, b[start..<digitStart].contains(0x28) { end += 1 }
        return (String(decoding: b[digitStart..<k], as: UTF8.self), end)
    }

    // MARK: - Helpers

    /// The tokens whose source lies inside a byte range.
    static func tokenRange(covering range: Range<Int>, _ tokens: [Token]) -> Range<Int> {
        var low = 0, high = tokens.count
        while low < high {
            let mid = (low + high) / 2
            if tokens[mid].source.upperBound <= range.lowerBound { low = mid + 1 } else { high = mid }
        }
        var end = low
        while end < tokens.count, tokens[end].source.lowerBound < range.upperBound { end += 1 }
        return low..<end
    }

    static func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }
}
