import Foundation

/// Keeps a session with the first of several keepers that takes it (the local journal, then
/// recovery files): when a later keeper takes over, the copy an earlier one held is removed, and
/// `fallbackReasons` says why the earlier ones were passed over.
public final class FirstAvailableKeeper: RecoveryKeeper {
    private let keepers: [any RecoveryKeeper]
    private var current: Int?
    public private(set) var fallbackReasons: [String] = []

    public init(_ keepers: [any RecoveryKeeper]) { self.keepers = keepers }

    public var place: KeptPlace? { current.flatMap { keepers[$0].place } }

    @discardableResult
    public func keep(_ session: RecoveryFile) throws -> KeptPlace {
        var reasons: [String] = []
        for (index, keeper) in keepers.enumerated() {
            do {
                let place = try keeper.keep(session)
                if let current, current != index { keepers[current].discard() }
                current = index
                fallbackReasons = reasons
                return place
            } catch {
                reasons.append(String(describing: error))
            }
        }
        if let index = current, keepers[index].place == nil { current = nil }
        throw KeepFailure(reasons.joined(separator: "; "))
    }

    public func discard() {
        for keeper in keepers { keeper.discard() }
        current = nil
    }
}
