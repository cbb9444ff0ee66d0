/// The policing community. The capability's schema steps; `Migrator.all` gathers every capability's.
enum PolicingCommunitySchema {
    static let migrations: [any Migration] = [CreatePolicingCommunity()]
}
