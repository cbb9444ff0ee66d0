/// Survey campaigns and their responses. The capability's schema steps; `Migrator.all` gathers every capability's.
enum SurveysSchema {
    static let migrations: [any Migration] = [CreateSurveys(), CreateSurveyCodes(), CreateSurveySamples()]
}
