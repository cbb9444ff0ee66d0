/// The organisation and the catalogue: units, officers, settings, categories, dispatch rules, counters. The capability's
/// schema steps; `Migrator.all` gathers every capability's.
enum OrganisationSchema {
    static let migrations: [any Migration] = [
        CreateOrganisation(),
        CreateCatalogue(),
    ]
}
