import Foundation
import Testing
@testable import SupportSimEval

@Suite("Evaluation metrics")
struct MetricsTests {
    private func close(_ a: Double?, _ b: Double, _ eps: Double = 1e-9) -> Bool {
        guard let a else { return false }
        return abs(a - b) < eps
    }

    @Test func ranksAverageTies() {
        // Given values with a tie / When ranked / Then tied values share the mean rank
        #expect(Metrics.ranks([10, 20, 20, 5]) == [2, 3.5, 3.5, 1])
        #expect(Metrics.ranks([1, 1, 1]) == [2, 2, 2])
    }

    @Test func spearmanOnKnownVectors() {
        // Given monotone, reversed and textbook vectors
        let x: [Double] = [1, 2, 3, 4, 5]
        // When correlated / Then the known coefficients come out
        #expect(close(Metrics.spearman(x, [2, 4, 6, 8, 100]), 1))
        #expect(close(Metrics.spearman(x, [5, 4, 3, 2, 1]), -1))
        // 1 - 6·Σd²/(n(n²-1)) with d = (0, 0, 1, -1, 0): 1 - 12/120 = 0.9
        #expect(close(Metrics.spearman(x, [1, 2, 4, 3, 5]), 0.9))
    }

    @Test func spearmanWithTies() {
        // Given a sample with ties on both sides (ranks x: 1, 2.5, 2.5, 4, 5; y: 1, 4, 2.5, 2.5, 5)
        let x: [Double] = [1, 2, 2, 3, 4]
        let y: [Double] = [1, 3, 2, 2, 5]
        // When correlated / Then it is Pearson on the average ranks: 29/38
        #expect(close(Metrics.spearman(x, y), 29.0 / 38))
        // And a constant side has no defined correlation
        #expect(Metrics.spearman(x, [3, 3, 3, 3, 3]) == nil)
    }

    @Test func percentilesInterpolate() {
        // Given 1...5 / When the quartiles are taken / Then linear interpolation is used
        let v: [Double] = [5, 1, 4, 2, 3]
        #expect(Metrics.percentile(v, 25) == 2)
        #expect(Metrics.percentile(v, 75) == 4)
        #expect(Metrics.median([1, 2, 3, 4]) == 2.5)
        #expect(Metrics.percentile([], 50) == nil)
    }

    @Test func quartileSplitKeepsTopAndBottomQuarters() {
        // Given eight gold labels 1...8 in shuffled order
        let gold: [Double] = [8, 1, 5, 3, 7, 2, 6, 4]
        // When split by quartiles (25th = 2.75, 75th = 6.25)
        let split = ClassSplit.quartiles(gold)
        // Then 7 and 8 are polite, 1 and 2 impolite, the middle half is left out
        #expect(split.polite.map { gold[$0] }.sorted() == [7, 8])
        #expect(split.impolite.map { gold[$0] }.sorted() == [1, 2])
        #expect(close(split.lowerCut, 2.75) && close(split.upperCut, 6.25))
        // And accuracy counts score > threshold as polite
        let scores: [Double] = [90, 10, 50, 50, 40, 60, 50, 50]
        // polite rows: gold 8 → 90 ✓, gold 7 → 40 ✗; impolite rows: gold 1 → 10 ✓, gold 2 → 60 ✗
        #expect(split.accuracy(predicted: scores, threshold: 50) == 0.5)
    }

    @Test func signSplitSkipsZero() {
        // Given gold labels around zero / When split by sign / Then zero is left out
        let split = ClassSplit.sign([-1, 0, 2, 0.5, -0.1])
        #expect(split.polite == [2, 3] && split.impolite == [0, 4])
    }

    @Test func politenessReportUsesTheMedianOfScores() {
        // Given gold quartiles and scores that rank them perfectly but sit above 50
        let gold: [Double] = [1, 2, 3, 4, 5, 6, 7, 8]
        let scores: [Double] = [60, 61, 62, 63, 64, 65, 70, 71]
        // When evaluated
        let r = evaluatePoliteness(gold: gold, scores: scores, classes: .quartile, scoringSeconds: 0.5)
        // Then the median threshold separates them and the neutral point does not
        #expect(r.evaluated == 4 && r.accuracy == 1 && r.accuracyAtNeutral == 0.5)
        #expect(r.threshold == 65.5 && close(r.spearman, 1) && r.repliesPerSecond == 16)
        let json = jsonString(r)
        for key in ["\"n\":8", "\"accuracy\":1", "\"spearman\":1", "\"replies_per_second\":16"] { #expect(json.contains(key)) }
    }

    @Test func pairwiseCountsTiesAsMisses() {
        // Given three pairs: correct, tied and inverted
        var p = PairwiseResult()
        p.add(lower: 10, higher: 60)
        p.add(lower: 50, higher: 50)
        p.add(lower: 70, higher: 40)
        // Then only the strict one is correct and the tie is reported
        #expect(p.pairs == 3 && p.correct == 1 && p.ties == 1 && p.inverted == 1)
        #expect(close(p.accuracy, 1.0 / 3))
    }

    @Test func pairsReportClassifiesEveryText() {
        // Given two rude texts with rewrites (one row has none)
        let report = evaluatePairs(rude: [20, 50, 40], neutral: [[70, 20], [50], []], scoringSeconds: 1)
        // Then pairs, ties and the rude-vs-neutral accuracy at 50 are counted
        #expect(report.n == 3 && report.ties == 2 && close(report.pairwiseAccuracy, 1.0 / 3))
        // rude: 20 ✓, 50 ✗, 40 ✓; neutral: 70 ✓, 20 ✗, 50 ✓ → 4 / 6
        #expect(report.texts == 6 && close(report.accuracy, 4.0 / 6))
        let json = jsonString(report)
        for key in ["\"n\":3", "\"pairwise_accuracy\":", "\"ties\":2", "\"accuracy\":", "\"replies_per_second\":6"] {
            #expect(json.contains(key))
        }
    }

    @Test func pairsEvaluationScoresRowsWithoutRewrites() {
        // Given rows, one of them without rewrites, and a scorer by length
        let rows = [RewritePair(rude: "x", neutral: ["longer", "long"]), RewritePair(rude: "y", neutral: [])]
        // When evaluated
        let report = evaluatePairs(rows) { Double($0.count) * 10 }
        // Then every rewrite is compared with its own rude text
        #expect(report.n == 2 && report.pairwiseAccuracy == 1 && report.rows == 2 && report.texts == 4)
    }

    @Test func loadingReportsBadNumbersWithTheirRow() throws {
        // Given a gold column with a non-number in row 2
        let reader = try DelimitedReader(text: "Request,Score\nhi,1.5\nbye,abc\n")
        // When loaded / Then the row and column are named
        #expect(throws: EvaluationError.notANumber(column: "Score", row: 2, value: "abc")) {
            try loadGradedTexts(reader: reader, text: "Request", score: "Score")
        }
    }

    @Test func latencyStatsPercentiles() {
        // Given 100 timings 1...100 µs / When summarised / Then p50 and p99 interpolate
        let stats = LatencyStats(seconds: (1...100).map { Double($0) * 1e-6 })!
        #expect(close(stats.p50, 50.5e-6) && close(stats.p99, 99.01e-6) && close(stats.max, 100e-6))
    }
}
