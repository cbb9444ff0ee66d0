/// Sessions, integration keys, the audit log and failed guesses. The capability's schema steps; `Migrator.all` gathers every capability's.
enum AuthSchema {
    static let migrations: [any Migration] = [
        CreateAuth(),
        CreateAuditLog(),
        GuardGuesses(),
        ExpireAPIKeys(),
    ]
}
