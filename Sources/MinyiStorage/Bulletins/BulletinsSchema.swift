/// Weekly bulletins and the units' supervision orders. The capability's schema steps; `Migrator.all` gathers every capability's.
enum BulletinsSchema {
    static let migrations: [any Migration] = [
        CreateBulletins()
    ]
}
