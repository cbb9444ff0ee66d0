/// The year's projects. The capability's schema steps; `Migrator.all` gathers every capability's.
enum ProjectsSchema {
    static let migrations: [any Migration] = [CreateProjects()]
}
