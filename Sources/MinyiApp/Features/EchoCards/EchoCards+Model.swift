import Foundation
import MinyiCore
import MinyiStorage

/// What the echo-card batches page shows: the batches of the jurisdiction, and the forms the officer's roles allow.
struct EchoCardBatchesModel: Sendable {
    var batches: [EchoCardBatch]
    var catalogue: WebController.Catalogue
    var jurisdiction: PoliceUnit
    var isAdmin: Bool
    var isClerk: Bool
    var notice: String?
    var error: String?
}

/// What a printable sheet of a batch shows: its cards and each card's PIN.
struct EchoCardSheetModel: Sendable {
    var cards: [EchoCard]
    var catalogue: WebController.Catalogue
    var pins: [String: String]
}
