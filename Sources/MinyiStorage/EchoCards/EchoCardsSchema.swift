/// Echo-card batches and cards. The capability's schema steps; `Migrator.all` gathers every capability's.
enum EchoCardsSchema {
    static let migrations: [any Migration] = [
        CreateEchoCards(),
    ]
}
