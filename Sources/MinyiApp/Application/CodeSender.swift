import Foundation
import Logging
import MinyiCore

/// Sends a ballot's verification code to a voter's phone: the gateway of a real deployment (an SMS gateway, which may
/// also check that the phone is registered to the ID number, as real-name registration allows) plugs in here. It is
/// given the ID number only for that check, and must not keep it.
public protocol CodeSender: Sendable {
    func send(code: String, to phone: String, idNumber: String, purpose: String) async throws
}

/// The development sender: writes the code to the log, with the phone masked and no ID number, so a developer (or a
/// browser test) can read it there.
public struct LogCodeSender: CodeSender {
    let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    public func send(code: String, to phone: String, idNumber: String, purpose: String) async throws {
        logger.notice("verification code for \(Contact.maskPhone(phone)) (\(purpose)): \(code)")
    }
}
