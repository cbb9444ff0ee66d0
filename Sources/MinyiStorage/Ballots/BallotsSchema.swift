/// The project ballot. The capability's schema steps; `Migrator.all` gathers every capability's.
enum BallotsSchema {
    static let migrations: [any Migration] = [CreateBallots(), SealBallots()]
}
