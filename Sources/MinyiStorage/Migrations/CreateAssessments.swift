import MinyiCore
import SQLKit

/// The yearly assessment (年度考评): each year's scheme as configured (every change a new row, the newest in force),
/// the scores entered per officer and unit (every entry a new row, the newest counts), and the assessment as issued,
/// kept as it was issued.
struct CreateAssessments: Migration {
    let version = 22

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                """
                CREATE TABLE assessment_schemes (
                    year BIGINT NOT NULL, seq BIGINT NOT NULL, components TEXT NOT NULL, minimum_n BIGINT NOT NULL, configured_by TEXT NOT NULL,
                    configured_at BIGINT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY (year, seq))
                """,
                """
                CREATE TABLE assessment_entries (
                    year BIGINT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL, component TEXT NOT NULL, seq BIGINT NOT NULL,
                    score DOUBLE PRECISION NOT NULL, entered_by TEXT, entered_at BIGINT NOT NULL, PRIMARY KEY (year, kind, subject, component, seq))
                """,
                """
                CREATE TABLE assessment_issues (
                    year BIGINT PRIMARY KEY, scheme TEXT NOT NULL, lines TEXT NOT NULL, issued_by TEXT NOT NULL, issued_at BIGINT NOT NULL)
                """,
            ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP TABLE assessment_issues", "DROP TABLE assessment_entries", "DROP TABLE assessment_schemes"], on: db)
    }
}
