/// Safety alerts. The capability's schema steps; `Migrator.all` gathers every capability's.
enum AlertsSchema {
    static let migrations: [any Migration] = [CreateSafetyAlerts()]
}
