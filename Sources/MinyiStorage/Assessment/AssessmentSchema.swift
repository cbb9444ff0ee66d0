/// The yearly assessment. The capability's schema steps; `Migrator.all` gathers every capability's.
enum AssessmentSchema {
    static let migrations: [any Migration] = [CreateAssessments()]
}
