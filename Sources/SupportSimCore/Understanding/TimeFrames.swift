/// Number words in English and Russian (0–20 and tens, every case form used in a support chat),
/// and digits written as numbers ("3", "1,5", "2.5").
enum NumberWords {
    static let table: [[UInt32]: Double] = {
        var t: [String: Double] = [:]
        let english = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                       "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
                       "twenty"]
        for (k, w) in english.enumerated() { t[w] = Double(k) }
        for (w, v) in [("thirty", 30.0), ("forty", 40), ("fifty", 50), ("sixty", 60), ("seventy", 70), ("eighty", 80),
                       ("ninety", 90)] { t[w] = v }
        let russian: [(Double, [String])] = [
            (0, ["ноль", "нуль", "ноля", "нуля"]),
            (1, ["один", "одна", "одно", "одного", "одной", "одну", "одним", "одному"]),
            (2, ["два", "две", "двух", "двум", "двумя"]),
            (3, ["три", "трех", "трем", "тремя"]),
            (4, ["четыре", "четырех", "четырем", "четырьмя"]),
            (5, ["пять", "пяти", "пятью"]), (6, ["шесть", "шести", "шестью"]), (7, ["семь", "семи"]),
            (8, ["восемь", "восьми", "восемью"]), (9, ["девять", "девяти", "девятью"]),
            (10, ["десять", "десяти", "десятью"]), (11, ["одиннадцать", "одиннадцати"]),
            (12, ["двенадцать", "двенадцати"]), (13, ["тринадцать", "тринадцати"]),
            (14, ["четырнадцать", "четырнадцати"]), (15, ["пятнадцать", "пятнадцати"]),
            (16, ["шестнадцать", "шестнадцати"]), (17, ["семнадцать", "семнадцати"]),
            (18, ["восемнадцать", "восемнадцати"]), (19, ["девятнадцать", "девятнадцати"]),
            (20, ["двадцать", "двадцати"]), (30, ["тридцать", "тридцати"]), (40, ["сорок", "сорока"]),
            (50, ["пятьдесят", "пятидесяти"]), (60, ["шестьдесят", "шестидесяти"]),
            (70, ["семьдесят", "семидесяти"]), (80, ["восемьдесят", "восьмидесяти"]), (90, ["девяносто", "девяноста"]),
        ]
        for (v, forms) in russian { for f in forms { t[f] = v } }
        return Dictionary(uniqueKeysWithValues: t.map { (Array($0.key.unicodeScalars.map(\.value)), $0.value) })
    }()

    /// A word of digits with at most one decimal comma or dot: its value.
    static func digits(_ word: [UInt32]) -> Double? {
        guard let first = word.first, first >= 0x30 && first <= 0x39, word.count <= 18 else { return nil }
        var whole: Double = 0
        var fraction: Double = 0
        var scale: Double = 1
        var seenPoint = false
        for (k, c) in word.enumerated() {
            if c >= 0x30 && c <= 0x39 {
                let d = Double(c - 0x30)
                if seenPoint { scale /= 10; fraction += d * scale } else { whole = whole * 10 + d }
            } else if (c == 0x2C || c == 0x2E), !seenPoint, k + 1 < word.count {
                seenPoint = true
            } else {
                return nil
            }
        }
        return whole + fraction
    }

    /// A number at token `i`: digits, or words with tens and units together ("twenty five",
    /// «двадцать пять»). Returns its value and how many tokens it takes.
    static func read(_ tokens: [Token], _ i: Int, end: Int) -> (Double, Int)? {
        guard i < end else { return nil }
        if tokens[i].hasDigit { return digits(tokens[i].word).map { ($0, 1) } }
        guard let value = table[tokens[i].word] else { return nil }
        if value >= 20, value.truncatingRemainder(dividingBy: 10) == 0, i + 1 < end, tokens[i + 1].breakBefore == .none,
           let unit = table[tokens[i + 1].word], unit >= 1, unit <= 9 {
            return (value + unit, 2)
        }
        return (value, 1)
    }

    /// A number in plain decimal: "3", "1.5".
    static func plain(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

/// Reads time frames from a reply's tokens (see `FactFinder`). Each position is tried once with a
/// bounded look-ahead: linear in the number of words.
enum TimeFrameReader {
    private static func w(_ list: [String]) -> [[[UInt32]]] {
        list.map { TextNormalizer.normalize($0).tokens.map(\.word) }.filter { !$0.isEmpty }
    }

    private static func set(_ list: [String]) -> Set<[UInt32]> { Set(list.map { Array($0.unicodeScalars.map(\.value)) }) }

    /// Words that introduce a duration.
    static let durationIntros = w(["within", "in", "over", "after", "в течение", "в течении", "в пределах", "через", "за",
                                   "within the next", "in the next", "over the next", "in the coming"])
    /// Words that may stand between the intro and the number.
    static let qualifiers = w(["about", "approximately", "approx", "around", "roughly", "up to", "under", "less than",
                               "at most", "max", "maximum", "no more than", "not more than", "just", "only",
                               "примерно", "около", "максимум", "не более", "не более чем", "не больше", "не больше чем",
                               "где то", "порядка", "до", "менее", "меньше", "чем", "ориентировочно"])
    /// "the next hour", «ближайший час»: one unit.
    static let nextWords = w(["the next", "the coming", "next", "the", "ближайший", "ближайшие", "ближайшую",
                              "ближайшего", "ближайших", "ближайшее", "следующий", "следующие", "следующего"])
    /// Words before a number that make it not a deadline ("for 10 minutes", «каждые 5 минут»).
    static let notBefore = set(["for", "every", "на", "каждые", "каждый", "каждую", "каждых", "раз", "уже"])
    /// Words after that make it not a deadline ("10 minutes ago").
    static let notAfter = set(["ago", "назад", "ago."])
    /// Adjectives that may stand before a unit ("business days", «рабочих дней»).
    static let unitAdjectives = set(["business", "working", "work", "calendar", "full", "рабочих", "рабочего", "рабочий",
                                     "рабочие", "рабочую", "календарных", "полных", "целый", "целых"])

    struct Unit {
        var minutes: Int
        var singular: Bool
        /// "day", «день», «дня»: without a number after "within the" / «в течение» it means today.
        var isDay: Bool
        var isHour: Bool
    }

    static let units: [[UInt32]: Unit] = {
        var t: [String: Unit] = [:]
        func add(_ words: [String], _ minutes: Int, singular: Bool) {
            for word in words {
                t[word] = Unit(minutes: minutes, singular: singular, isDay: ["day", "день", "дня"].contains(word),
                               isHour: minutes == 60)
            }
        }
        add(["minute", "min", "минута", "минуту", "минуты", "минутку", "минутки"], 1, singular: true)
        add(["minutes", "mins", "минут", "минуток", "мин"], 1, singular: false)
        add(["hour", "hr", "час", "часа", "часик", "часика", "часок", "часам"], 60, singular: true)
        add(["hours", "hrs", "часов"], 60, singular: false)
        add(["day", "день", "дня", "денек", "сутки", "суток"], 1440, singular: true)
        add(["days", "дней", "дням"], 1440, singular: false)
        add(["week", "неделя", "неделю", "недели"], 10080, singular: true)
        add(["weeks", "недель"], 10080, singular: false)
        return Dictionary(uniqueKeysWithValues: t.map { (Array($0.key.unicodeScalars.map(\.value)), $0.value) })
    }()

    /// Units written right after digits: "20min", "2h", «15мин», «2ч».
    static let joinedUnits: [[UInt32]: Int] = Dictionary(uniqueKeysWithValues: [
        ("min", 1), ("mins", 1), ("m", 1), ("h", 60), ("hr", 60), ("hrs", 60), ("d", 1440), ("мин", 1), ("ч", 60),
    ].map { (Array($0.0.unicodeScalars.map(\.value)), $0.1) })

    /// Half an hour as one word or phrase.
    static let halfHour = w(["half an hour", "half hour", "a half hour", "half a hour", "полчаса", "получаса", "пол часа",
                             "полчасика"])
    /// Numbers that only count in time frames: each phrase and its value.
    static let timeQuantities: [([[UInt32]], Double)] = {
        let all: [([[UInt32]], Double)] =
            w(["a couple of", "couple of", "a couple", "пару", "пара", "пары", "парочку"]).map { ($0, 2.0) }
            + w(["a", "an", "one"]).map { ($0, 1.0) }
            + w(["полтора", "полутора", "one and a half"]).map { ($0, 1.5) }
        return all.sorted { $0.0.count > $1.0.count }
    }()

    static let rangeWords = set(["to", "or", "-", "или", "до"])

    /// Words before a time of day.
    static let clockIntros = w(["by", "before", "until", "till", "at", "no later than", "not later than", "not after",
                                "до", "к", "в", "не позже", "не позднее", "не позже чем", "не позднее чем", "по"])
    /// Intros after which a bare hour is a time of day ("by 5").
    static let bareHourIntros = w(["by", "before", "until", "till", "no later than", "not later than", "not after",
                                   "до", "к", "не позже", "не позднее", "не позже чем", "не позднее чем"])
    static let endOfDay = w(["end of day", "end of the day", "end of today", "end of business", "end of the business day",
                             "end of business day", "end of the working day", "end of the workday", "end of the work day",
                             "the end of the day", "the end of today", "the end of the business day",
                             "the end of the working day", "close of business", "the close of business", "eod", "cob",
                             "конца дня", "конца рабочего дня", "концу дня", "концу рабочего дня", "конца сегодняшнего дня",
                             "конца сегодняшнего рабочего дня", "концу сегодняшнего дня", "конец дня", "конец рабочего дня"])
    static let noon = w(["noon", "midday", "полудня", "полдень"])
    static let pm = w(["pm", "p m", "вечера", "дня"])
    static let am = w(["am", "a m", "утра", "ночи"])
    static let oclock = w(["o'clock", "oclock", "часов", "часа", "час", "часам", "ч"])
    static let dayIntros = w(["by", "until", "till", "before", "on", "до", "к", "в", "во"])
    static let days: [([[[UInt32]]], Int)] = [
        (w(["tomorrow", "завтра", "завтрашнего дня"]), 1),
        (w(["the day after tomorrow", "послезавтра"]), 2),
        (w(["today", "сегодня", "within the day"]), 0),
    ]
    static let weekdays = set(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                               "понедельник", "понедельника", "вторник", "вторника", "среду", "среды", "среда",
                               "четверг", "четверга", "пятницу", "пятницы", "пятница", "субботу", "субботы", "суббота",
                               "воскресенье", "воскресенья"])

    // MARK: - Reading

    /// The words a time frame can start with (besides digits and number words): one set lookup
    /// rules out most words of a reply.
    static let starters: Set<[UInt32]> = {
        var firsts: [[[UInt32]]] = durationIntros + qualifiers + nextWords + halfHour + clockIntros + endOfDay + dayIntros
        firsts += timeQuantities.map(\.0)
        for (phrases, _) in days { firsts += phrases }
        return Set(firsts.compactMap(\.first))
    }()

    static func find(_ raw: String, _ tokens: [Token]) -> [FoundFact] {
        var facts: [FoundFact] = []
        var lastEnd = -1
        var i = 0
        while i < tokens.count {
            if !tokens[i].hasDigit, !starters.contains(tokens[i].word), NumberWords.table[tokens[i].word] == nil {
                i += 1
                continue
            }
            switch read(tokens, i) {
            case .found(let frame, let count):
                let range = i..<(i + count)
                let source = tokens[i].source.lowerBound..<tokens[i + count - 1].source.upperBound
                // "tomorrow by 10 am": one frame
                if lastEnd == i, tokens[i].breakBefore == .none, var last = facts.last, let old = last.time,
                   let merged = merge(old, frame) {
                    last.time = merged
                    last.tokens = last.tokens.lowerBound..<range.upperBound
                    last.source = last.source.lowerBound..<source.upperBound
                    last.text = RawText.slice(raw, last.source)
                    last.value = last.text
                    facts[facts.count - 1] = last
                } else {
                    let text = RawText.slice(raw, source)
                    facts.append(FoundFact(type: .time, text: text, source: source, tokens: range, value: text, time: frame))
                }
                i += count
                lastEnd = i
            case .skip(let count):
                i += max(1, count)
            case .none:
                i += 1
            }
        }
        return facts
    }

    static func merge(_ a: TimeFrame, _ b: TimeFrame) -> TimeFrame? {
        if a.minutes != nil && b.minutes != nil || a.clock != nil && b.clock != nil || a.days != nil && b.days != nil {
            return nil
        }
        if a == TimeFrame() || b == TimeFrame() { return nil }
        return TimeFrame(minutes: a.minutes ?? b.minutes, clock: a.clock ?? b.clock, days: a.days ?? b.days)
    }

    enum Reading { case found(TimeFrame, Int), skip(Int), none }

    /// The longest of `phrases` at token `k` (within the clause), as its length.
    static func match(_ phrases: [[[UInt32]]], _ tokens: [Token], _ k: Int, start: Int) -> Int? {
        var best: Int?
        for p in phrases where k + p.count <= tokens.count && p.count > (best ?? 0) {
            var ok = true
            for j in 0..<p.count {
                if tokens[k + j].word != p[j] || (k + j > start && tokens[k + j].breakBefore != .none) { ok = false; break }
            }
            if ok { best = p.count }
        }
        return best
    }

    static func joined(_ tokens: [Token], _ k: Int) -> Bool { k < tokens.count && tokens[k].breakBefore == .none }

    static func read(_ tokens: [Token], _ i: Int) -> Reading {
        let r = duration(tokens, i)
        if case .none = r {} else { return r }
        if let c = clock(tokens, i) { return .found(c.0, c.1) }
        if let d = day(tokens, i) { return .found(d.0, d.1) }
        return .none
    }

    /// "within 30 minutes", «в течение двух часов», «через полчаса», "in the next hour", "20min".
    static func duration(_ tokens: [Token], _ i: Int) -> Reading {
        var k = i
        var intro = false
        var upTo = false
        if let len = match(durationIntros, tokens, k, start: i) { k += len; intro = true }
        while let len = match(qualifiers, tokens, k, start: i) {
            if tokens[k].word == [0x434, 0x43E] { upTo = true }       // «до»
            k += len
        }
        var next = false
        var definite = false
        if let len = match(nextWords, tokens, k, start: i) {
            next = true
            definite = len == 1 && tokens[k].word == [0x74, 0x68, 0x65] || tokens[k].word.first == 0x432 // "the"
            k += len
        }
        guard k < tokens.count, k == i || joined(tokens, k) else { return .none }
        // half an hour
        if let len = match(halfHour, tokens, k, start: i) {
            return finish(tokens, i, k + len, TimeFrame(minutes: 30), intro: intro)
        }
        // "20min", "2h"
        if tokens[k].hasDigit, let split = tokens[k].word.firstIndex(where: { !($0 >= 0x30 && $0 <= 0x39) && $0 != 0x2C && $0 != 0x2E }),
           split > 0, let unit = joinedUnits[Array(tokens[k].word[split...])],
           let value = NumberWords.digits(Array(tokens[k].word[..<split])) {
            return finish(tokens, i, k + 1, TimeFrame(minutes: Int((value * Double(unit)).rounded())), intro: intro)
        }
        var quantity: Double?
        if let (value, count) = NumberWords.read(tokens, k, end: tokens.count) {
            quantity = value
            k += count
            // ranges: "1-2", "1–2", "1 or 2", «2-3»
            if joined(tokens, k) || (k < tokens.count && tokens[k].breakBefore == .dash) {
                var m = k
                if joined(tokens, m), rangeWords.contains(tokens[m].word) { m += 1 }
                if m < tokens.count, m > k || tokens[m].breakBefore == .dash, let (upper, c2) = NumberWords.read(tokens, m, end: tokens.count),
                   upper > value {
                    quantity = upper
                    k = m + c2
                }
            }
        } else if tokens[k].hasDigit, let dash = tokens[k].word.firstIndex(of: 0x2D),
                  let low = NumberWords.digits(Array(tokens[k].word[..<dash])),
                  let high = NumberWords.digits(Array(tokens[k].word[(dash + 1)...])), high >= low {
            quantity = high                                               // "1-2"
            k += 1
        } else {
            for (phrase, value) in timeQuantities {
                if let len = match([phrase], tokens, k, start: i) { quantity = value; k += len; break }
            }
        }
        while joined(tokens, k), unitAdjectives.contains(tokens[k].word) { k += 1 }
        guard k < tokens.count, k == i || joined(tokens, k), let unit = units[tokens[k].word] else {
            return .none
        }
        k += 1
        if !intro, i > 0, notBefore.contains(tokens[i - 1].word) { return .skip(k - i) }
        if k < tokens.count, notAfter.contains(tokens[k].word) { return .skip(k - i) }
        guard let quantity else {
            guard (intro || next), unit.singular else { return .none }
            if unit.isDay, definite || (!next && tokens[i].word.first == 0x432) {
                // "within the day", «в течение (рабочего) дня»: today
                return finish(tokens, i, k, TimeFrame(days: 0), intro: intro)
            }
            return finish(tokens, i, k, TimeFrame(minutes: unit.minutes), intro: intro)
        }
        // «до 3 часов» is a time of day, not a duration
        if upTo, unit.isHour, !intro { return .none }
        return finish(tokens, i, k, TimeFrame(minutes: Int((quantity * Double(unit.minutes)).rounded())), intro: intro)
    }

    static func finish(_ tokens: [Token], _ i: Int, _ end: Int, _ frame: TimeFrame, intro: Bool) -> Reading {
        if !intro, i > 0, notBefore.contains(tokens[i - 1].word) { return .skip(end - i) }
        if end < tokens.count, notAfter.contains(tokens[end].word) { return .skip(end - i) }
        return .found(frame, end - i)
    }

    /// "by 3 pm", «до 15:00», "by 3:30 pm", "by 5", "by noon", «до конца рабочего дня», "EOD".
    static func clock(_ tokens: [Token], _ i: Int) -> (TimeFrame, Int)? {
        var k = i
        let introLength = match(clockIntros, tokens, k, start: i)
        let bare = match(bareHourIntros, tokens, k, start: i) == introLength && introLength != nil
        if let introLength { k += introLength }
        guard k < tokens.count, k == i || joined(tokens, k) else { return nil }
        if let len = match(endOfDay, tokens, k, start: i) {
            return (TimeFrame(clock: TimeFrame.endOfWorkingDay), k + len - i)
        }
        guard introLength != nil else { return nil }
        if let len = match(noon, tokens, k, start: i) { return (TimeFrame(clock: 720), k + len - i) }
        if weekdays.contains(tokens[k].word) { return (TimeFrame(), k + 1 - i) }
        guard tokens[k].hasDigit else { return nil }
        // "15:00", "3.30", "3pm", "3:30pm", "15"
        let word = tokens[k].word
        var hours = 0, minutes = 0, pos = 0
        var digitsSeen = 0
        while pos < word.count, word[pos] >= 0x30 && word[pos] <= 0x39, digitsSeen < 2 {
            hours = hours * 10 + Int(word[pos] - 0x30); pos += 1; digitsSeen += 1
        }
        guard digitsSeen > 0 else { return nil }
        var explicit = false
        if pos < word.count, word[pos] == 0x3A || word[pos] == 0x2E {
            pos += 1
            guard pos + 2 <= word.count, word[pos] >= 0x30 && word[pos] <= 0x39, word[pos + 1] >= 0x30 && word[pos + 1] <= 0x39 else {
                return nil
            }
            minutes = Int(word[pos] - 0x30) * 10 + Int(word[pos + 1] - 0x30)
            pos += 2
            explicit = true
        }
        var suffix = Array(word[pos...])
        k += 1
        var isPM = false, isAM = false
        if suffix.isEmpty {
            if let len = match(pm, tokens, k, start: i) { isPM = true; k += len }
            else if let len = match(am, tokens, k, start: i) { isAM = true; k += len }
            else if let len = match(oclock, tokens, k, start: i) {
                explicit = true; k += len
                if let len = match(pm, tokens, k, start: i) { isPM = true; k += len }
                else if let len = match(am, tokens, k, start: i) { isAM = true; k += len }
            }
        } else {
            if suffix == [0x70, 0x6D] { isPM = true } else if suffix == [0x61, 0x6D] { isAM = true } else { return nil }
            suffix = []
        }
        guard hours <= 24, minutes < 60 else { return nil }
        if !(explicit || isPM || isAM) && !bare { return nil }
        if isPM, hours < 12 { hours += 12 }
        if isAM, hours == 12 { hours = 0 }
        if !explicit, !isPM, !isAM, hours >= 1, hours <= 7 { hours += 12 }     // "by 5": 17:00 in a working day
        if explicit, !isPM, !isAM, hours >= 1, hours <= 7, minutes == 0, !word.contains(0x3A) { hours += 12 } // «к 3 часам»
        return (TimeFrame(clock: hours * 60 + minutes), k - i)
    }

    /// "tomorrow", «завтра», "by tomorrow", "today", «послезавтра», "by Monday".
    static func day(_ tokens: [Token], _ i: Int) -> (TimeFrame, Int)? {
        var k = i
        let intro = match(dayIntros, tokens, k, start: i)
        if let intro { k += intro }
        guard k < tokens.count, k == i || joined(tokens, k) else { return nil }
        for (phrases, days) in days {
            if let len = match(phrases, tokens, k, start: i) { return (TimeFrame(days: days), k + len - i) }
        }
        if intro != nil, weekdays.contains(tokens[k].word) { return (TimeFrame(), k + 1 - i) }
        return nil
    }
}
