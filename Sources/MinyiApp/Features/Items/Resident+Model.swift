import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The square's home page: what it is for, and the community police offices under each station.
struct HomeModel: Sendable {
    var catalogue: WebController.Catalogue
}

/// The form to tell the police something, blank or as typed with its errors: a resident's (`/submit`) or a clerk's
/// registering another channel (`/staff/register`).
struct SubmitModel {
    var form: SubmissionForm
    var staff: Bool
}

/// What a submission answers: the tracking number and the PIN, shown once, and the 110 advice if it sounded urgent.
struct ConfirmationModel: Sendable {
    var submitted: Submitted
    var staff: Bool
}

/// The look-up form, with the number as typed and why the last try failed.
struct LookupModel: Sendable {
    var number: String
    var error: String?
}

/// An item as its resident sees it: the facts, the reply, the callback, and the public steps of its history.
struct PublicItemModel: Sendable {
    var item: Item
    var events: [ItemEvent]
    var catalogue: WebController.Catalogue
}
