/// Open311 GeoReport v2. The capability's schema steps; `Migrator.all` gathers every capability's.
enum Open311Schema {
    static let migrations: [any Migration] = [IndexItemsByChannel()]
}
