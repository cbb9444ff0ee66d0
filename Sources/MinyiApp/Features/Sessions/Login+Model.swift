import Foundation

/// The staff login form: the username as typed (kept after a wrong password), where to go after, and why the last
/// try failed.
struct LoginModel: Sendable {
    var username: String
    var next: String
    var error: String?
}
