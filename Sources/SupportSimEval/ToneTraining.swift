import Foundation
import SupportSimCore

/// Which part of a corpus a row belongs to, decided by a hash of its id alone (deterministic,
/// independent of the row order): 20% held apart (never used to train or choose anything),
/// 15% validation (choosing the hyper-parameters, thresholds and weights), 65% training.
public enum ToneSplit: String, Sendable, CaseIterable {
    case train, validation, heldApart = "held-apart"

    public init(key: String) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        switch h % 100 {
        case ..<20: self = .heldApart
        case ..<35: self = .validation
        default: self = .train
        }
    }
}

/// One labelled sentence (or short text) for the tone model.
public struct ToneExample: Sendable, Equatable {
    public var text: String
    public var label: ToneClass
    public var source: String
    public init(text: String, label: ToneClass, source: String) { self.text = text; self.label = label; self.source = source }
}

/// Multinomial logistic regression trained by full-batch gradient descent (Adam), from zero
/// weights: deterministic for the same data.
public enum SoftmaxRegression {
    public struct Fit: Sendable {
        public var weights: [[Float]]
        public var bias: [Float]
    }

    /// - x: unit vectors of one dimension; y: class indices; classWeights: per-class loss weight.
    public static func train(x: [[Float]], y: [Int], classes: Int, l2: Double, iterations: Int = 300,
                             learningRate: Double = 0.05, classWeights: [Double]) -> Fit {
        let n = x.count, d = x.first?.count ?? 0
        var w = [Double](repeating: 0, count: classes * d)
        var b = [Double](repeating: 0, count: classes)
        var mw = w, vw = w, mb = b, vb = b
        let flat = x.flatMap { $0.map(Double.init) }
        let totalWeight = y.reduce(0) { $0 + classWeights[$1] }
        var gw = [Double](repeating: 0, count: classes * d)
        var gb = [Double](repeating: 0, count: classes)
        var p = [Double](repeating: 0, count: classes)
        let (beta1, beta2, eps) = (0.9, 0.999, 1e-8)
        for step in 1...max(1, iterations) {
            for i in gw.indices { gw[i] = 0 }
            for k in 0..<classes { gb[k] = 0 }
            flat.withUnsafeBufferPointer { X in
                w.withUnsafeBufferPointer { W in
                    gw.withUnsafeMutableBufferPointer { G in
                        for i in 0..<n {
                            let row = i * d
                            var top = -Double.infinity
                            for k in 0..<classes {
                                var s = b[k]
                                let wk = k * d
                                for j in 0..<d { s += W[wk + j] * X[row + j] }
                                p[k] = s
                                top = max(top, s)
                            }
                            var sum = 0.0
                            for k in 0..<classes { p[k] = exp(p[k] - top); sum += p[k] }
                            let cw = classWeights[y[i]] / totalWeight
                            for k in 0..<classes {
                                let g = cw * (p[k] / sum - (k == y[i] ? 1 : 0))
                                gb[k] += g
                                let wk = k * d
                                for j in 0..<d { G[wk + j] += g * X[row + j] }
                            }
                        }
                    }
                }
            }
            for i in w.indices { gw[i] += l2 * w[i] }
            let c1 = 1 - pow(beta1, Double(step)), c2 = 1 - pow(beta2, Double(step))
            for i in w.indices {
                mw[i] = beta1 * mw[i] + (1 - beta1) * gw[i]
                vw[i] = beta2 * vw[i] + (1 - beta2) * gw[i] * gw[i]
                w[i] -= learningRate * (mw[i] / c1) / ((vw[i] / c2).squareRoot() + eps)
            }
            for k in 0..<classes {
                mb[k] = beta1 * mb[k] + (1 - beta1) * gb[k]
                vb[k] = beta2 * vb[k] + (1 - beta2) * gb[k] * gb[k]
                b[k] -= learningRate * (mb[k] / c1) / ((vb[k] / c2).squareRoot() + eps)
            }
        }
        return Fit(weights: (0..<classes).map { k in (0..<d).map { Float(w[k * d + $0]) } }, bias: b.map(Float.init))
    }
}

/// A reply of the validation split as the combiner sees it: the lexicon's score and the model's
/// judgements of the sentences the lexicon found nothing in.
public struct ToneValidationReply: Sendable {
    public var lexiconScore: Double
    public var judgements: [(tone: ToneClass, probability: Double)]
    public init(lexiconScore: Double, judgements: [(tone: ToneClass, probability: Double)]) {
        self.lexiconScore = lexiconScore; self.judgements = judgements
    }

    /// The combined score under the given thresholds and weights (as `TonedPolitenessAnalyzer`).
    public func score(rudeThreshold: Double, politeThreshold: Double, rudeWeight: Double, politeWeight: Double) -> Double {
        var hits: [StrategyHit] = []
        for j in judgements {
            if j.tone == .rude, j.probability >= rudeThreshold { hits.append(StrategyHit(strategy: "", span: "", weight: -rudeWeight)) }
            if j.tone == .polite, j.probability >= politeThreshold { hits.append(StrategyHit(strategy: "", span: "", weight: politeWeight)) }
        }
        return TonedPolitenessAnalyzer.combine(lexiconScore: lexiconScore, toneHits: hits)
    }
}

/// The validation figures the combiner's settings are chosen by (each in 0…1, higher is better).
public struct ToneValidationSet: Sendable {
    /// English: top-quartile (polite) and bottom-quartile (impolite) requests.
    public var politeRequests: [ToneValidationReply] = []
    public var impoliteRequests: [ToneValidationReply] = []
    /// Russian: a rude text and its neutral rewrites.
    public var pairs: [(rude: ToneValidationReply, neutral: [ToneValidationReply])] = []
    /// Support replies with a team lead's label.
    public var labelled: [(reply: ToneValidationReply, label: ToneClass)] = []
    public init() {}

    public typealias Settings = (rudeThreshold: Double, politeThreshold: Double, rudeWeight: Double, politeWeight: Double)

    /// Per part: the area under the ROC curve of polite over impolite requests, the share of pairs
    /// strictly ordered, and the three-band accuracy of labelled replies; and their mean.
    public func figures(_ s: Settings) -> (requests: Double?, pairs: Double?, labelled: Double?, mean: Double) {
        func score(_ r: ToneValidationReply) -> Double {
            r.score(rudeThreshold: s.rudeThreshold, politeThreshold: s.politeThreshold, rudeWeight: s.rudeWeight, politeWeight: s.politeWeight)
        }
        var parts: [Double] = []
        var requests: Double?
        if !politeRequests.isEmpty, !impoliteRequests.isEmpty {
            let p = politeRequests.map(score), q = impoliteRequests.map(score).sorted()
            var wins = 0.0
            for x in p {
                let below = lowerBound(q, x), upTo = upperBound(q, x)
                wins += Double(below) + 0.5 * Double(upTo - below)
            }
            requests = wins / Double(p.count * q.count)
            parts.append(requests!)
        }
        var pairsFigure: Double?
        if !pairs.isEmpty {
            var ordered = 0, total = 0
            for (r, ns) in pairs {
                let rs = score(r)
                for n in ns { total += 1; if rs < score(n) { ordered += 1 } }
            }
            if total > 0 { pairsFigure = Double(ordered) / Double(total); parts.append(pairsFigure!) }
        }
        var labelledFigure: Double?
        if !labelled.isEmpty {
            labelledFigure = Double(labelled.count { ToneClass(score: score($0.reply)) == $0.label }) / Double(labelled.count)
            parts.append(labelledFigure!)
        }
        return (requests, pairsFigure, labelledFigure, parts.isEmpty ? 0 : parts.reduce(0, +) / Double(parts.count))
    }

    /// The settings with the best mean figure over a grid (ties: the earlier, more conservative one).
    public func bestSettings(thresholds: [Double] = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01],
                             weights: [Double] = [0.5, 1, 1.5, 2, 3, 4]) -> (settings: Settings, mean: Double) {
        var best: (Settings, Double)?
        for rt in thresholds.reversed() { for pt in thresholds.reversed() { for rw in weights { for pw in weights {
            let s: Settings = (rt, pt, rw, pw)
            let m = figures(s).mean
            if best == nil || m > best!.1 + 1e-12 { best = (s, m) }
        } } } }
        return best ?? ((1.01, 1.01, 1, 1), 0)
    }

    private func lowerBound(_ a: [Double], _ x: Double) -> Int {
        var lo = 0, hi = a.count
        while lo < hi { let m = (lo + hi) / 2; if a[m] < x { lo = m + 1 } else { hi = m } }
        return lo
    }
    private func upperBound(_ a: [Double], _ x: Double) -> Int {
        var lo = 0, hi = a.count
        while lo < hi { let m = (lo + hi) / 2; if a[m] <= x { lo = m + 1 } else { hi = m } }
        return lo
    }
}
