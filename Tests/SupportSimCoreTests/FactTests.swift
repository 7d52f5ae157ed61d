import Testing
@testable import SupportSimCore

/// Key facts of a reply: time frames, numbers, ticket ids, e-mail addresses and phone numbers.
@Suite("Facts in a reply")
struct FactTests {
    private func facts(_ type: FactType, _ raw: String) -> [FoundFact] {
        FactFinder.find(type, in: raw, TextNormalizer.normalize(raw))
    }

    private func frame(_ raw: String) -> TimeFrame? {
        facts(.time, raw).first?.time
    }

    // MARK: - Durations

    @Test(arguments: [
        ("We'll call you within 30 minutes", 30), ("Мы перезвоним в течение часа", 60), ("Перезвоню через 2 часа", 120),
        ("Ответим в течение недели", 10080), ("I'll be back in a couple of hours", 120),
        ("within 1-2 business days", 2880), ("в течение получаса", 30), ("в течение двух часов", 120),
        ("в ближайший час", 60), ("within half an hour", 30), ("in the next hour", 60), ("within 24 hours", 1440),
        ("in about 20 min", 20), ("Свяжутся в течении недели", 10080), ("через полчаса", 30), ("через час", 60),
        ("in 15 minutes", 15), ("within three hours", 180), ("in an hour", 60), ("в течение 1,5 часов", 90),
        ("за 10 минут", 10), ("в ближайшие 15 минут", 15), ("через пару часов", 120), ("в течение 2–3 дней", 4320),
        ("within 1 or 2 days", 2880), ("в течение суток", 1440), ("within the hour", 60), ("in 20min", 20),
        ("within twenty five minutes", 25), ("через полтора часа", 90), ("около 10 минут", 10),
    ])
    func durationsGiveMinutes(raw: String, minutes: Int) {
        // Given / When
        let found = frame(raw)
        // Then
        #expect(found?.minutes == minutes, "\(raw): \(String(describing: found))")
        #expect(found?.bound(now: nil) == minutes)
    }

    @Test(arguments: ["within the day", "today", "сегодня", "в течение дня", "в течение рабочего дня"])
    func theDayHasNoMinutes(raw: String) {
        // Given / When
        let found = frame(raw)
        // Then
        #expect(found != nil, "\(raw)")
        #expect(found?.minutes == nil)
        #expect(found?.days == 0)
    }

    // MARK: - Times of day

    @Test(arguments: [
        ("by 3 pm", 900), ("до 15:00", 900), ("до конца дня", 1080), ("до конца рабочего дня", 1080),
        ("by end of day", 1080), ("EOD", 1080), ("by noon", 720), ("не позже 15:00", 900), ("by 5", 1020),
        ("by 3:30 pm", 930), ("by 10 am", 600), ("к 3 часам", 900), ("не позднее 16.30", 990), ("by 9:15", 555),
        ("at 3pm", 900), ("by the end of the day", 1080), ("в 15:00", 900), ("by 12 pm", 720),
    ])
    func clockTimesGiveMinutesSinceMidnight(raw: String, clock: Int) {
        // Given / When
        let found = frame(raw)
        // Then
        #expect(found?.clock == clock, "\(raw): \(String(describing: found))")
        #expect(found?.minutes == nil)
    }

    @Test func tomorrowIsADayAhead() {
        // Given / When / Then
        #expect(frame("We'll fix it tomorrow")?.days == 1)
        #expect(frame("Починим завтра")?.days == 1)
        #expect(frame("послезавтра")?.days == 2)
        #expect(frame("by Monday") == TimeFrame())
        #expect(frame("до понедельника") == TimeFrame())
    }

    @Test func aDayAndATimeAreOneFrame() {
        // Given / When
        let en = facts(.time, "I'll send it tomorrow by 10 am, promise")
        let ru = facts(.time, "Пришлю завтра до 12:00")
        // Then
        #expect(en.count == 1)
        #expect(en.first?.time == TimeFrame(clock: 600, days: 1))
        #expect(en.first?.text == "tomorrow by 10 am")
        #expect(ru.first?.time == TimeFrame(clock: 720, days: 1))
    }

    @Test(arguments: ["Скоро", "Ждите, вам позвонят", "как можно скорее", "soon", "ASAP", "shortly", "in due course",
                      "в ближайшее время", "as soon as possible", "it took hours", "in a few minutes", "Restart it",
                      "I waited for 10 minutes", "It broke 10 minutes ago", "каждые 5 минут"])
    func vagueOrPastTimesAreNotTimeFrames(raw: String) {
        // Given / When / Then
        #expect(facts(.time, raw).isEmpty, "\(raw): \(facts(.time, raw))")
    }

    @Test func timeFactsKeepTheirTextAndSource() {
        // Given
        let raw = "Добрый день! Перезвоним в течение часа."
        // When
        let found = facts(.time, raw)
        // Then
        #expect(found.count == 1)
        #expect(found[0].text == "в течение часа")
        #expect(RawText.slice(raw, found[0].source) == "в течение часа")
        #expect(found[0].tokens == 3..<6)
        #expect(found[0].type == .time)
    }

    // MARK: - Bounds

    @Test func boundsFromNow() {
        // Given now = 14:00
        let now = 14 * 60
        // When / Then
        #expect(TimeFrame(minutes: 30).bound(now: now) == 30)
        #expect(TimeFrame(clock: 900).bound(now: now) == 60)
        #expect(TimeFrame(clock: 600).bound(now: now) == 1200)          // 10:00 has passed: tomorrow
        #expect(TimeFrame(clock: 600, days: 1).bound(now: now) == 1200)
        #expect(TimeFrame(days: 0).bound(now: now) == 240)               // end of the working day
        #expect(TimeFrame(days: 1).bound(now: now) == 1680)
        #expect(TimeFrame(clock: 900).bound(now: nil) == nil)
        #expect(TimeFrame().bound(now: now) == nil)
    }

    // MARK: - Numbers

    @Test(arguments: [
        ("3", 3.0), ("1,5", 1.5), ("2.5", 2.5), ("three", 3), ("три", 3), ("трёх", 3), ("пять", 5), ("ten", 10),
        ("twenty", 20), ("двадцати", 20), ("forty", 40), ("ноль", 0), ("двух", 2), ("одну", 1), ("eleven", 11),
        ("twenty five", 25), ("двадцать пять", 25), ("девяноста", 90), ("0042", 42),
    ])
    func numbersInDigitsAndWords(raw: String, value: Double) {
        // Given / When
        let found = facts(.number, raw)
        // Then
        #expect(found.count == 1, "\(raw)")
        #expect(found.first?.number == value)
        #expect(found.first?.value == NumberWords.plain(value))
    }

    @Test func numbersInAReply() {
        // Given
        let raw = "Cancel all three jobs and wait 1,5 minutes, then print 2 pages"
        // When
        let found = facts(.number, raw)
        // Then
        #expect(found.map(\.value) == ["3", "1.5", "2"])
        #expect(found.map(\.text) == ["three", "1,5", "2"])
    }

    @Test func digitsOfPhonesAndAddressesAreNotNumbers() {
        // Given / When
        let found = facts(.number, "Call +7 (495) 123-45-67 or write to user42@example.com, 2 times")
        // Then
        #expect(found.map(\.value) == ["2"])
    }

    // MARK: - Tickets

    @Test(arguments: [
        ("Your ticket is INC-0042.", "INC-0042", "INC-0042"), ("REQ123456 is open", "REQ123456", "REQ123456"),
        ("see #4512", "#4512", "4512"), ("заявка 4512 создана", "4512", "4512"), ("ticket 4512", "4512", "4512"),
        ("номер заявки № 4512", "4512", "4512"), ("inc-0042", "inc-0042", "INC-0042"), ("№4512", "№4512", "4512"),
        ("ticket number 98765", "98765", "98765"),
    ])
    func ticketIds(raw: String, text: String, value: String) {
        // Given / When
        let found = facts(.ticket, raw)
        // Then
        #expect(found.count == 1, "\(raw): \(found)")
        #expect(found.first?.text == text)
        #expect(found.first?.value == value)
    }

    @Test(arguments: ["error E1234", "version 2.4.1", "10.0.0.12", "4512 people", "SHA256", "wait 1000 ms", "0x80070005"])
    func otherNumbersAreNotTickets(raw: String) {
        // Given / When / Then
        #expect(facts(.ticket, raw).isEmpty, "\(raw)")
    }

    // MARK: - E-mail

    @Test func emailAddressesAreLowerCased() {
        // Given
        let raw = "Write to Anna.Petrova+it@Example.COM or help-desk@corp.example.ru."
        // When
        let found = facts(.email, raw)
        // Then
        #expect(found.map(\.text) == ["Anna.Petrova+it@Example.COM", "help-desk@corp.example.ru"])
        #expect(found.map(\.value) == ["anna.petrova+it@example.com", "help-desk@corp.example.ru"])
        #expect(found.first.map { RawText.slice(raw, $0.source) } == "Anna.Petrova+it@Example.COM")
        #expect(found.first?.tokens.isEmpty == false)
    }

    @Test(arguments: ["@", "a@b", "user@", "@example.com", "mail me @ home", "x@y.z"])
    func notEmailAddresses(raw: String) {
        // Given / When / Then
        #expect(facts(.email, raw).isEmpty, "\(raw)")
    }

    // MARK: - Phones

    @Test(arguments: [
        ("Call +7 (495) 123-45-67 now", "+7 (495) 123-45-67", "+74951234567"),
        ("звоните 8 800 555 35 35", "8 800 555 35 35", "88005553535"),
        ("+1 415 555 0100", "+1 415 555 0100", "+14155550100"),
        ("+1 415 555 0100 ext. 12", "+1 415 555 0100 ext. 12", "+14155550100;ext=12"),
        ("тел. 8 (495) 123-45-67, доб. 305", "8 (495) 123-45-67, доб. 305", "84951234567;ext=305"),
        ("внутренний 123-45-67", "123-45-67", "1234567"), ("+79161234567", "+79161234567", "+79161234567"),
    ])
    func phoneNumbers(raw: String, text: String, value: String) {
        // Given / When
        let found = facts(.phone, raw)
        // Then
        #expect(found.count == 1, "\(raw): \(found)")
        #expect(found.first?.text == text)
        #expect(found.first?.value == value)
    }

    @Test(arguments: ["10.0.0.12", "2024-03-12", "INC-0042", "within 1-2 days", "15:00", "REQ1234567890",
                      "1 2 3 4 5 6 7 8 9 10", "#4512"])
    func notPhoneNumbers(raw: String) {
        // Given / When / Then
        #expect(facts(.phone, raw).isEmpty, "\(raw): \(facts(.phone, raw))")
    }

    // MARK: - Values and hostile input

    @Test func valuesAreLeftToTheMatcher() {
        // Given / When / Then
        #expect(facts(.value, "the value is 42").isEmpty)
    }

    @Test func hostileRepliesDoNotCrash() {
        // Given
        let replies = [String(repeating: "в течение ", count: 1_000), String(repeating: "@", count: 10_000),
                       String(repeating: "a@", count: 5_000), String(repeating: "+7 ", count: 3_000),
                       String(repeating: "1-", count: 5_000), "😀🔥👍🏽", "\u{0}\u{1}\u{1B}[2J\u{7F}",
                       String(repeating: "by 5 ", count: 2_000), String(repeating: "1", count: 10_000)]
        // When / Then
        for raw in replies {
            let text = TextNormalizer.normalize(raw)
            for type in FactType.allCases {
                for fact in FactFinder.find(type, in: raw, text) {
                    #expect(fact.source.upperBound <= raw.utf8.count)
                    #expect(fact.tokens.upperBound <= text.words.count)
                }
            }
        }
    }
}
