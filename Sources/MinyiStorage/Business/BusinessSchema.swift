/// Business types, imports, records and callback attempts. The capability's schema steps; `Migrator.all` gathers every capability's.
enum BusinessSchema {
    static let migrations: [any Migration] = [
        CreateBusinessRecords(),
    ]
}
