/// Community policing: households, visit rules, due visits and visits. The capability's schema steps; `Migrator.all`
/// gathers every capability's.
enum CommunitySchema {
    static let migrations: [any Migration] = [CreateCommunity()]
}
