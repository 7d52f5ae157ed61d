import Testing
import SupportSimCore
import SupportSimLexicons

/// A scenario built in code: two steps at `queue` (one that moves, a 0-point detour), a step at
/// `next_step`, a harmful rule, a refusal intent and a key fact.
enum ReadingScenario {
    static func make() -> Scenario {
        let queue = Node(
            id: "queue", customer: ["Three jobs are stuck. What now?"],
            expect: [
                Intent(id: "cancel_jobs", match: MatchRule(any: ["cancel"]), points: 10,
                       customer: ["Cancelled them."], next: "power", samples: ["Please cancel all three jobs."]),
                Intent(id: "detour", match: MatchRule(any: ["door c"]), points: 0, customer: ["Nothing behind door C."]),
            ],
            harmful: [HarmfulRule(id: "resend", match: MatchRule(any: ["send it again"]), penalty: 10,
                                  feedback: "Resending adds more stuck jobs.", customer: ["I sent it three times!"])],
            fallback: Fallback(customer: ["What do I do?"]),
            clarify: ["Sorry, what do you want me to do with the jobs?", "I'm not sure I follow, which button?"])
        let power = Node(
            id: "power", customer: ["The queue is empty. What next?"],
            expect: [Intent(id: "power_cycle", match: MatchRule(any: ["switch the printer off", "power cycle"]),
                            points: 10, customer: ["Switched it off and on. It works!"], next: "done",
                            samples: ["Switch the printer off and on."])],
            fallback: Fallback(customer: ["And now?"]))
        let done = Node(id: "done", customer: ["Thanks!"], end: .resolved)
        return Scenario(id: "reading", title: "Reading", language: .en, persona: Persona(name: "Olga Markova"),
                        start: "queue", nodes: [queue, power, done])
    }

    static func withFacts() -> Scenario {
        var s = make()
        s.nodes[0].expect[0].facts = [FactRequirement(
            name: "printer", accept: ["second floor", "2f"],
            wrong: [WrongFactValue(values: ["third floor", "3f"], feedback: "That is the broken printer.")],
            required: false)]
        return s
    }

    static func engine(_ scenario: Scenario = make(), mode: PlayMode = .exam, meaning: MeaningIndex? = nil) -> Engine {
        var e = Engine(scenario: scenario, seed: 1, analyzer: BundledLexicons.analyzer, mode: mode, meaning: meaning)
        _ = e.start()
        return e
    }

    static func credited(_ events: [EngineEvent]) -> [String] {
        events.compactMap { if case .intentMatched(let id, _, _, _, _) = $0 { id } else { nil } }
    }

    static func harmful(_ events: [EngineEvent]) -> [String] {
        events.compactMap { if case .harmful(let id, _, _, _) = $0 { id } else { nil } }
    }
}

/// An embedder for tests: a bag of word hashes, L2-normalised; texts sharing words are close.
struct WordBagEmbedder: SentenceEmbedder {
    var modelID: String { "word-bag" }
    var dimension: Int { 64 }
    func embed(_ text: String) -> [Float]? {
        var v = [Float](repeating: 0, count: dimension)
        for w in TextNormalizer.normalize(text).words {
            var h: UInt64 = 1469598103934665603
            for b in w.utf8 { h = (h ^ UInt64(b)) &* 1099511628211 }
            v[Int(h % UInt64(dimension))] += 1
        }
        let norm = (v.reduce(0) { $0 + $1 * $1 }).squareRoot()
        return norm == 0 ? nil : v.map { $0 / norm }
    }
}

@Suite("Reading a reply: steps, negation, facts, meaning")
struct ReadingTests {
    @Test func givenTwoStepsForThisNodeAndTheNextWhenRepliedThenBothAreCreditedAndTheCustomerActsOnBoth() {
        // Given the engine at `queue`
        var engine = ReadingScenario.engine()
        // When the trainee gives the step for this node and the one for the next in one reply
        let events = engine.handle(.reply("Please cancel all three jobs, then switch the printer off and on."))
        // Then both are credited, the conversation reaches the end, and the customer says both outcomes
        #expect(ReadingScenario.credited(events) == ["cancel_jobs", "power_cycle"])
        #expect(events.contains(.customerSays("Cancelled them.")))
        #expect(events.contains(.customerSays("Switched it off and on. It works!")))
        #expect(engine.transcript.ending == .resolved)
    }

    @Test func givenAStepForTheNextNodeSaidEarlyWhenTheNodeIsReachedLaterThenItIsCreditedAtOnce() {
        // Given a reply that only gives the next node's step (nothing for this node), as an instruction
        var engine = ReadingScenario.engine()
        let first = engine.handle(.reply("Once the jobs are gone, switch the printer off and on."))
        #expect(ReadingScenario.credited(first).isEmpty)
        // When the next reply moves the conversation to that node
        let second = engine.handle(.reply("Please cancel the jobs."))
        // Then the remembered step is credited on arrival and acted on
        #expect(ReadingScenario.credited(second) == ["cancel_jobs", "power_cycle"])
        #expect(engine.transcript.ending == .resolved)
    }

    @Test func givenAnExplanationInAnEarlierReplyWhenALaterNodeIsReachedThenItIsNotTakenAsAStep() {
        // Given a reply that explains (no instruction) in words the next node's step uses
        var engine = ReadingScenario.engine()
        _ = engine.handle(.reply("The printer is stuck because nobody would power cycle it."))
        // When the next reply moves the conversation to that node
        let second = engine.handle(.reply("Please cancel the jobs."))
        // Then only this reply's step is credited
        #expect(ReadingScenario.credited(second) == ["cancel_jobs"])
    }

    @Test func givenAHarmfulAndAGoodStepInOneReplyWhenReadThenBothAreScoredSeparately() {
        var engine = ReadingScenario.engine()
        // When the reply cancels the jobs and also asks to resend
        let events = engine.handle(.reply("Cancel the jobs and send it again."))
        // Then the good step is credited and the harmful one penalised
        #expect(ReadingScenario.credited(events) == ["cancel_jobs"])
        #expect(ReadingScenario.harmful(events) == ["resend"])
    }

    @Test func givenANegatedStepWhenReadThenNothingIsCreditedAndTheExplanationNamesTheNegation() {
        // Given the reader at `queue`
        let scenario = ReadingScenario.make()
        let reader = ReplyReader(scenario: scenario)
        // When a reply negates the step
        let reading = reader.read(ReadReply("Please don't cancel anything yet."), at: scenario.nodes[0])
        // Then nothing is credited, and the intent's reading says a negation blocked it
        #expect(reading.credited.isEmpty)
        #expect(reading.intents[0].negatedBy != nil)
    }

    @Test func givenAReplyThatMovesOnWhenItAlsoGivesAZeroPointDetourThenBothCountAndOnlyTheMoveSpeaks() {
        // Given the engine at `queue`, where "door c" is a 0-point detour that keeps the node
        var engine = ReadingScenario.engine()
        // When a reply gives the detour and the step that moves on
        let events = engine.handle(.reply("Check behind door C, and cancel the jobs."))
        // Then both are credited, the detour's words stay free, and only the moving step's line is said
        #expect(ReadingScenario.credited(events) == ["detour", "cancel_jobs"])
        #expect(!events.contains(.customerSays("Nothing behind door C.")))
        #expect(events.contains(.customerSays("Cancelled them.")))
        let scenario = ReadingScenario.make()
        let reading = ReplyReader(scenario: scenario)
            .read(ReadReply("Check behind door C, and cancel the jobs."), at: scenario.nodes[0])
        #expect(reading.intents[1].note == "a detour: its words stay for the next nodes")
    }

    @Test func givenAWrongKeyFactWhenTheStepIsNamedThenNoCreditAndTheFeedbackForThatValue() {
        var engine = ReadingScenario.engine(ReadingScenario.withFacts())
        // When the step names the broken printer
        let events = engine.handle(.reply("Cancel the jobs and print on the third floor printer."))
        // Then nothing is credited; the event carries the scenario's feedback for that value
        #expect(ReadingScenario.credited(events).isEmpty)
        #expect(events.contains(.wrongFact(intent: "cancel_jobs", fact: "printer", value: "third floor",
                                           feedback: "That is the broken printer.")))
        #expect(events.contains(.fallback(node: "queue")))
    }

    @Test func givenTheRightKeyFactOrNoneWhenNotRequiredThenTheStepIsCredited() {
        let scenario = ReadingScenario.withFacts()
        let reader = ReplyReader(scenario: scenario)
        #expect(reader.read(ReadReply("Cancel the jobs, then use the second floor printer."), at: scenario.nodes[0]).credited
                == ["cancel_jobs"])
        #expect(reader.read(ReadReply("Cancel the jobs."), at: scenario.nodes[0]).credited == ["cancel_jobs"])
        // A wrong value in a negated clause does not count against the reply
        #expect(reader.read(ReadReply("Cancel the jobs. Not the third floor one."), at: scenario.nodes[0]).credited
                == ["cancel_jobs"])
    }

    @Test func givenPracticeModeWhenAReplyIsNotUnderstoodThenTheFirstTimeCostsNothingAndTheLineVaries() {
        var engine = ReadingScenario.engine(mode: .practice)
        // When two replies in a row are not understood
        let first = engine.handle(.reply("Hmm, let me think."))
        let second = engine.handle(.reply("Well, let me see."))
        // Then the first is a clarifying question with no mood change, the second a fallback
        #expect(first.contains(.clarify(node: "queue")))
        #expect(!first.contains { if case .moodChanged = $0 { true } else { false } })
        #expect(first.contains(.customerSays("Sorry, what do you want me to do with the jobs?"))
                || first.contains(.customerSays("I'm not sure I follow, which button?")))
        #expect(second.contains(.fallback(node: "queue")))
        // And the clarify turn costs no correctness points
        let card = ScoringPipeline.standard(analyzer: BundledLexicons.analyzer).score(engine.transcript, scenario: engine.scenario)
        let fallbacks = card.score(.correctness)?.evidence.filter { $0.rule == "fallback" } ?? []
        #expect(fallbacks.map(\.turn) == [2])
    }

    @Test func givenExamModeWhenAReplyIsNotUnderstoodThenItIsAFallbackAsBefore() {
        var engine = ReadingScenario.engine(mode: .exam)
        let events = engine.handle(.reply("Hmm, let me think."))
        #expect(events.contains(.fallback(node: "queue")))
        #expect(!events.contains(.clarify(node: "queue")))
    }

    @Test func givenAMissedStepWhenScoredThenTheDeductionCarriesAModelAnswer() {
        var engine = ReadingScenario.engine(mode: .exam)
        engine.handle(.reply("Hmm, let me think."))
        engine.handle(.close(resolution: "done"))
        let card = ScoringPipeline.standard(analyzer: BundledLexicons.analyzer).score(engine.transcript, scenario: engine.scenario)
        let evidence = card.score(.correctness)?.evidence ?? []
        let fallback = evidence.first { $0.rule == "fallback" }
        #expect(fallback?.modelAnswer == "Please cancel all three jobs.")
        #expect(fallback?.message.contains("expected") == true)
        #expect(evidence.first { $0.rule == "intent:cancel_jobs" }?.modelAnswer == "Please cancel all three jobs.")
    }

    @Test func givenARefusalRuleWhenTheReplyRefusesThenNegationDoesNotBlockIt() {
        // Given a refusal intent whose first group lists negative phrases
        let rule = MatchRule(all: [["can't", "not able"], ["reset"]])
        // When the reply refuses
        #expect(Matcher.match(rule, in: "I'm sorry, I'm not able to reset someone else's password.") != nil)
        // And a plain rule in the same clause is blocked
        #expect(Matcher.match(MatchRule(any: ["reset"]), in: "I'm not able to reset it.") == nil)
    }

    @Test func givenAVerbPhraseWhenTheReplyUsesTheNounThenItDoesNotMatchButOtherVerbFormsDo() {
        let rule = MatchRule(any: ["установить"])
        #expect(Matcher.match(rule, in: "Я установлю программу") != nil)
        #expect(Matcher.match(rule, in: "Нужно установить программу") != nil)
        #expect(Matcher.match(rule, in: "Я сделаю установку программы") == nil)
        // A stem written by the author still reaches the noun
        #expect(Matcher.match(MatchRule(any: ["установ"]), in: "Я сделаю установку программы") != nil)
    }

    @Test func givenMeaningWhenAParaphraseHasNoPhraseThenItIsCreditedByMeaningButNeverWhenNegated() {
        // Given a meaning index over a word-bag embedder and an intent whose phrases miss the paraphrase
        var scenario = ReadingScenario.make()
        scenario.nodes[0].expect[0].samples = ["kill all three stuck print jobs", "kill the stuck print jobs now"]
        let index = MeaningIndex(scenario: scenario, embedder: WordBagEmbedder())
        let reader = ReplyReader(scenario: scenario, meaning: index)
        let node = scenario.nodes[0]
        let paraphrase = "kill all three stuck print jobs please"
        let vector = index.embed(paraphrase)
        // When read
        let reading = reader.read(ReadReply(paraphrase), at: node, vector: vector)
        // Then it is credited by meaning, with the sample and similarity shown
        #expect(reading.credited == ["cancel_jobs"])
        #expect(reading.intents[0].via == .meaning)
        #expect((reading.intents[0].meaning?.similarity ?? 0) >= (reading.intents[0].meaning?.threshold ?? 1))
        // And a negated paraphrase is never credited by meaning
        let negated = "don't kill all three stuck print jobs"
        #expect(reader.read(ReadReply(negated), at: node, vector: index.embed(negated)).credited.isEmpty)
        // And a reply that also fires a harmful rule is not credited by meaning
        let mixed = "kill all three stuck print jobs and send it again"
        let mixedReading = reader.read(ReadReply(mixed), at: node, vector: index.embed(mixed))
        #expect(mixedReading.credited.isEmpty)
        #expect(mixedReading.harmful[0].fired)
    }

    @Test func givenACounterSampleWhenItIsCloseToTheSamplesThenTheThresholdRisesAboveIt() {
        var scenario = ReadingScenario.make()
        scenario.nodes[0].expect[0].samples = ["kill all three stuck print jobs"]
        scenario.nodes[0].expect[0].counterSamples = ["kill all three stuck print jobs tomorrow"]
        let index = MeaningIndex(scenario: scenario, embedder: WordBagEmbedder())
        let target = index.targets(for: scenario.nodes[0]).first { $0.id == "cancel_jobs" }
        let counter = WordBagEmbedder().embed("kill all three stuck print jobs tomorrow")!
        let sim = MeaningIndex.best(counter, target!)!.similarity
        // Then the counter-sample itself is below the threshold (or meaning is off for the intent)
        if let t = target?.threshold { #expect(sim < t) }
        #expect(target?.nearestMiss != nil)
    }
}

@Suite("Numbers and ids inside longer ids")
struct IdPartTests {
    @Test func givenANumberPhraseWhenTheReplyWritesItInsideAHyphenatedIdThenItMatchesOnlyAWholePart() {
        #expect(Matcher.match(MatchRule(any: ["1251"]), in: "кодировку Windows-1251") != nil)
        #expect(Matcher.match(MatchRule(any: ["2f"]), in: "pick STM-2F-MFP") != nil)
        #expect(Matcher.match(MatchRule(any: ["12"]), in: "кодировку Windows-1251") == nil)
        #expect(Matcher.match(MatchRule(any: ["3f"]), in: "pick STM-2F-MFP") == nil)
    }
}

@Suite("Meaning: the rule a reply is clearly closest to")
struct RelativeMeaningTests {
    @Test func givenAReplyBelowEveryThresholdWhenItIsClearlyClosestToOneRuleThenThatRuleCounts() {
        // Given an intent whose samples share most words with the reply, and generic replies far from it
        var scenario = ReadingScenario.make()
        scenario.nodes[0].expect[0].samples = ["purge every stuck spooler entry", "purge the stuck spooler entries"]
        scenario.nodes[0].expect[0].counterSamples = ["purge every stuck spooler entry tomorrow morning"]
        let index = MeaningIndex(scenario: scenario, embedder: WordBagEmbedder())
        let reader = ReplyReader(scenario: scenario, meaning: index)
        let reply = "kindly purge stuck spooler entries"
        let reading = reader.read(ReadReply(reply), at: scenario.nodes[0], vector: index.embed(reply))
        let r = reading.intents[0]
        // Then, when it is under the calibrated threshold, it is still credited as the clear closest rule
        if let t = r.meaning?.threshold, let sim = r.meaning?.similarity, sim < t {
            #expect(reading.credited == ["cancel_jobs"])
            #expect(r.note?.hasPrefix("closest by meaning") == true)
        } else {
            #expect(reading.credited == ["cancel_jobs"])
        }
    }

    @Test func givenAGenericReplyWhenReadThenNothingIsCreditedByMeaning() {
        var scenario = ReadingScenario.make()
        scenario.nodes[0].expect[0].samples = ["purge every stuck spooler entry"]
        let index = MeaningIndex(scenario: scenario, embedder: WordBagEmbedder())
        let reader = ReplyReader(scenario: scenario, meaning: index)
        let reply = "One moment please."
        #expect(reader.read(ReadReply(reply), at: scenario.nodes[0], vector: index.embed(reply)).credited.isEmpty)
    }
}

@Suite("Reading hostile replies")
struct HostileReadingTests {
    @Test(arguments: [
        String(repeating: "cancel the jobs then switch the printer off ", count: 250),   // ~11,000 characters
        "🙂🙂🙂🖨️🔥🔥", "\u{1B}[31mcancel\u{07} the \u{0}jobs\u{1B}]0;x\u{07}", "Отмените, пожалуйста, все задания печати.",
    ])
    func givenAHostileReplyWhenItIsReadWithMeaningThenItIsReadWithoutACrash(_ reply: String) {
        // Given an engine with meaning-based matching
        let scenario = ReadingScenario.make()
        var engine = ReadingScenario.engine(scenario, meaning: MeaningIndex(scenario: scenario, embedder: WordBagEmbedder()))
        // When the reply is played / Then the engine answers with events (and the clauses are bounded)
        let events = engine.handle(.reply(reply))
        #expect(!events.isEmpty)
        #expect(ReadReply(reply).clauses.count <= reply.count)
    }
}

@Suite("Typed forms: a doubled letter typed once")
struct DoubledLetterTests {
    @Test func givenAPhraseWithADoubledLetterWhenTheReplyTypesItOnceThenItMatches() {
        #expect(Matcher.match(MatchRule(any: ["off and on"]), in: "turn the printer of and on") != nil)
        #expect(Matcher.match(MatchRule(any: ["cancel all"]), in: "cancel al of them") != nil)
        // a phrase word without a doubled letter is not loosened
        #expect(Matcher.match(MatchRule(any: ["on"]), in: "turn the printer of") == nil)
    }
}

@Suite("Two instructions joined by 'and'")
struct AndInstructionsTests {
    @Test func givenTwoInstructionsEachWithAnObjectWhenJoinedByAndThenTheyAreTwoClauses() {
        #expect(ReadReply("Open your print queue and cancel whatever is stuck in there.").clauses.count == 2)
        #expect(ReadReply("Сохраните всё открытое и перезагрузите ноутбук").clauses.count == 2)
        // two verbs sharing one object stay one clause
        #expect(ReadReply("Save and close the file").clauses.count == 1)
    }
}
