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
    /// The issue form as sent, and what is wrong with it, when it came back.
    var sheet: FormSheet?
}

/// What a printable sheet of a batch shows: its cards, each card's PIN (on the stub the resident keeps), the officer who
/// hands them out, and how many cards go on an A4 page.
struct EchoCardSheetModel: Sendable {
    var batchID: String
    var cards: [EchoCard]
    var catalogue: WebController.Catalogue
    var pins: [String: String]
    /// The officers of the batch's unit, to choose whose name and phone are printed.
    var officers: [Officer]
    var officer: Officer?
    /// The phone printed: the officer's police office (or station).
    var phone: String?
    /// Cards per A4 page: 4 (2 × 2) or 6 (2 × 3).
    var perPage: Int
    /// Where residents look up, before `?number=`.
    var lookupURL: String

    /// The options as a query string.
    var query: String { "layout=\(perPage)" + (officer.map { "&officer=\($0.id.rawValue)" } ?? "") }
}
