/// Rank statistics and classification figures used by the evaluation harness.
public enum Metrics {
    /// 1-based ranks; tied values share the average of the ranks they span.
    public static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count, values[order[j + 1]] == values[order[i]] { j += 1 }
            let average = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = average }
            i = j + 1
        }
        return ranks
    }

    /// Pearson correlation; nil when there are fewer than two values or one side is constant.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        precondition(x.count == y.count, "pearson: the two samples differ in length")
        let n = Double(x.count)
        guard x.count >= 2 else { return nil }
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices {
            let dx = x[i] - mx, dy = y[i] - my
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy
        }
        guard sxx > 0, syy > 0 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }

    /// Spearman rank correlation (Pearson on average ranks, so ties are handled exactly).
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double? {
        pearson(ranks(x), ranks(y))
    }

    /// The p-th percentile (p in 0...100) with linear interpolation between order statistics
    /// (the common "type 7" definition). nil for an empty sample.
    public static func percentile(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return percentile(sorted: sorted, p)
    }

    /// As `percentile(_:_:)` on a sample already sorted ascending.
    public static func percentile(sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let h = Double(sorted.count - 1) * min(100, max(0, p)) / 100
        let lo = Int(h.rounded(.down)), hi = min(sorted.count - 1, lo + 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    public static func median(_ values: [Double]) -> Double? { percentile(values, 50) }
}

/// The rows kept by a two-class split of a continuous gold label.
public struct ClassSplit: Sendable, Equatable {
    /// Indices of rows labelled polite / impolite; other rows are left out.
    public var polite: [Int]
    public var impolite: [Int]
    /// The gold cut points (the 25th and 75th percentiles for a quartile split, 0 and 0 for a sign split).
    public var lowerCut: Double
    public var upperCut: Double

    public init(polite: [Int], impolite: [Int], lowerCut: Double, upperCut: Double) {
        self.polite = polite; self.impolite = impolite; self.lowerCut = lowerCut; self.upperCut = upperCut
    }

    public var count: Int { polite.count + impolite.count }
    public var selected: [Int] { (polite + impolite).sorted() }

    /// Rows with gold at or above the 75th percentile are polite, at or below the 25th impolite;
    /// the middle half is left out.
    public static func quartiles(_ gold: [Double]) -> ClassSplit {
        let sorted = gold.sorted()
        guard let q1 = Metrics.percentile(sorted: sorted, 25), let q3 = Metrics.percentile(sorted: sorted, 75) else {
            return ClassSplit(polite: [], impolite: [], lowerCut: .nan, upperCut: .nan)
        }
        var polite: [Int] = [], impolite: [Int] = []
        for (i, g) in gold.enumerated() {
            if g >= q3, q3 > q1 { polite.append(i) } else if g <= q1, q3 > q1 { impolite.append(i) }
        }
        return ClassSplit(polite: polite, impolite: impolite, lowerCut: q1, upperCut: q3)
    }

    /// Gold above zero is polite, below zero impolite; zero is left out.
    public static func sign(_ gold: [Double]) -> ClassSplit {
        var polite: [Int] = [], impolite: [Int] = []
        for (i, g) in gold.enumerated() {
            if g > 0 { polite.append(i) } else if g < 0 { impolite.append(i) }
        }
        return ClassSplit(polite: polite, impolite: impolite, lowerCut: 0, upperCut: 0)
    }

    /// The share of kept rows classified correctly when a prediction above `threshold` means polite.
    public func accuracy(predicted: [Double], threshold: Double) -> Double? {
        guard count > 0 else { return nil }
        let right = polite.count { predicted[$0] > threshold } + impolite.count { predicted[$0] <= threshold }
        return Double(right) / Double(count)
    }
}

/// The outcome of comparing scores in (lower-expected, higher-expected) pairs.
public struct PairwiseResult: Sendable, Equatable {
    public var pairs = 0
    /// The first text scored strictly lower than the second.
    public var correct = 0
    /// Both texts scored the same (counted as misses).
    public var ties = 0
    /// The first text scored higher.
    public var inverted = 0

    public init() {}

    public mutating func add(lower: Double, higher: Double) {
        pairs += 1
        if lower < higher { correct += 1 } else if lower == higher { ties += 1 } else { inverted += 1 }
    }

    /// correct / pairs (ties count as misses); nil with no pairs.
    public var accuracy: Double? { pairs > 0 ? Double(correct) / Double(pairs) : nil }
}

/// Accuracy of a two-class decision counted per class.
public struct BinaryTally: Sendable, Equatable {
    public var positives = 0, truePositives = 0
    public var negatives = 0, trueNegatives = 0

    public init() {}

    public mutating func add(isPositive: Bool, predictedPositive: Bool) {
        if isPositive {
            positives += 1
            if predictedPositive { truePositives += 1 }
        } else {
            negatives += 1
            if !predictedPositive { trueNegatives += 1 }
        }
    }

    public var count: Int { positives + negatives }
    public var accuracy: Double? { count > 0 ? Double(truePositives + trueNegatives) / Double(count) : nil }
    /// Share of positives recognised.
    public var recall: Double? { positives > 0 ? Double(truePositives) / Double(positives) : nil }
    /// Share of negatives recognised.
    public var specificity: Double? { negatives > 0 ? Double(trueNegatives) / Double(negatives) : nil }
}
