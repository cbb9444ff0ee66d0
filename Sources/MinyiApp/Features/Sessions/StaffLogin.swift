import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// Checking a staff password, the same way for the API and the web form: the guesser is throttled (not the owner),
/// an unknown username costs the same bcrypt work as a wrong password, and overlong input is refused before it is
/// stored anywhere.
struct StaffLogin: Sendable {
    let organisation: SQLOrganisationStore
    let passwords: PasswordHasher
    let throttle: GuessThrottle

    /// The longest username accepted.
    static let maxUsernameLength = 64
    /// The longest password accepted (bcrypt reads 72 bytes; more is refused, not cut).
    static let maxPasswordBytes = 72

    /// Refuses a username or password that no officer can have, naming the field: of impossible length, a username
    /// with control characters (PostgreSQL cannot even compare a text holding NUL), a password with NUL (bcrypt would
    /// read only what comes before it).
    static func checkLengths(username: String, password: String) throws {
        guard username.count <= maxUsernameLength else {
            throw AppError.badRequest(field: "username", message: "用户名最多 \(maxUsernameLength) 个字符 (username too long)")
        }
        guard !username.hasControlCharacters else {
            throw AppError.badRequest(field: "username", message: "用户名含有不可见的控制字符 (username contains control characters)")
        }
        guard password.utf8.count <= maxPasswordBytes else {
            throw AppError.badRequest(field: "password", message: "密码最多 \(maxPasswordBytes) 字节 (password too long)")
        }
        guard !password.utf8.contains(0) else {
            throw AppError.badRequest(field: "password", message: "密码不能含有 NUL 字符 (password contains NUL)")
        }
    }

    /// The officer whose password this is, or nil for a wrong username or password; throws when throttled.
    func check(username: String, password: String, address: String, at now: Date) async throws -> Officer? {
        try Self.checkLengths(username: username, password: password)
        try await throttle.admit(.login, target: username, address: address, at: now)
        let found = try await organisation.officer(username: username)
        guard try await passwords.verify(password, hash: found?.passwordHash), let officer = found?.officer else {
            try await throttle.failed(.login, target: username, address: address, at: now)
            return nil
        }
        try await throttle.succeeded(.login, target: username, address: address)
        return officer
    }
}
