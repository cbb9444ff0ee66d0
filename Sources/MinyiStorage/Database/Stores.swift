import Foundation

/// Every store over one database: the one place they are built, for the app (`AppDependencies`), the command line
/// and the tests (`World`) alike.
public struct Stores: Sendable {
    public let database: any DatabaseBackend
    public let organisation: SQLOrganisationStore
    public let items: SQLItemStore
    public let auth: SQLAuthStore
    public let audit: SQLAuditLog
    public let echoCards: SQLEchoCardStore
    public let business: SQLBusinessStore
    public let bulletins: SQLBulletinStore
    public let community: SQLCommunityStore
    public let ballots: SQLBallotStore
    public let projects: SQLProjectStore
    public let surveys: SQLSurveyStore
    public let assessments: SQLAssessmentStore
    public let alerts: SQLAlertStore
    public let open311: SQLOpen311Store
    public let partners: SQLPartnerStore

    /// The stores over `database`, with the PIN key, the voter key (the ballot's roll) and a source of new row IDs.
    public init(
        database: any DatabaseBackend, pinKey: String, voterKey: String, newID: @escaping @Sendable () -> String = { RowID.make() }
    ) {
        self.database = database
        organisation = SQLOrganisationStore(database: database)
        items = SQLItemStore(database: database, pinSecret: pinKey, newID: newID)
        auth = SQLAuthStore(database: database)
        audit = SQLAuditLog(database: database, newID: newID)
        echoCards = SQLEchoCardStore(database: database, newID: newID)
        business = SQLBusinessStore(database: database, items: items, newID: newID)
        bulletins = SQLBulletinStore(database: database, newID: newID)
        community = SQLCommunityStore(database: database, newID: newID)
        ballots = SQLBallotStore(database: database, voterSecret: voterKey, newID: newID)
        projects = SQLProjectStore(database: database, newID: newID)
        surveys = SQLSurveyStore(database: database, newID: newID)
        assessments = SQLAssessmentStore(database: database)
        alerts = SQLAlertStore(database: database)
        open311 = SQLOpen311Store(database: database)
        partners = SQLPartnerStore(database: database, newID: newID)
    }
}
