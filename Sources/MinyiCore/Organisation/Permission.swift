import Foundation

/// What a page, an API call or a navigation link needs. Which roles hold each permission is said here once; the API,
/// the pages and the navigation all ask this table, so they cannot drift apart.
public enum Permission: String, Sendable, CaseIterable, Hashable {
    /// Any logged-in officer, within their jurisdiction: the ledger, the dashboard, the analysis, an item's page.
    case staff
    /// Register what residents bring by other channels than the web: walk-ins, calls, letters, echo cards …
    case registerItems
    /// The command centre's queue.
    case triage
    /// A unit's inbox: items to accept, to reply to, under supervision.
    case unitWork
    /// Call residents back after a reply.
    case callBack
    /// Call residents back after a service recorded by another police system.
    case callBackServices
    /// Read supervision orders.
    case readSupervision
    /// Read the weekly bulletins.
    case readBulletins
    /// Issue the weekly bulletin now (bureau level).
    case issueBulletin
    /// Echo cards: list the batches, print a sheet.
    case useEchoCards
    /// Issue a batch of echo cards.
    case issueEchoCards
    /// Change a category's deadlines (bureau level).
    case setDeadlines
    /// Change when callbacks of a business type fall due (bureau level).
    case setCallbackDays
    /// Import business records from other police systems.
    case importBusinessRecords
    /// Read the audit log.
    case readAudit
    /// Read a resident's unmasked contact (every read audited).
    case readContact
    /// Households of the jurisdiction and their visits (members masked).
    case readHouseholds
    /// Add, change and import households.
    case manageHouseholds
    /// The due list; record visits.
    case visit
    /// Change the mandatory-visit rules and the night-visit hours (bureau level).
    case setVisitRules
    /// Visit coverage, mandatory visits done in their window, and the officers' diaries.
    case readCoverage
    /// The pairs of cadres and households (结对) and how each keeps its cadence.
    case readPairs
    /// Pair a cadre with a household.
    case managePairs
    /// Plan and hold meetings where officers report to the people, hand out codes, register what is raised.
    case manageMeetings
    /// Send a supervision order (督办) for an overdue mandatory visit.
    case superviseVisits
    /// Assign leaders and cadres their areas (layered assignment).
    case assignAreas
    /// Set up the yearly project ballot: the campaign, its window, its candidate projects (bureau level).
    case manageBallots
    /// Enter batches of paper ballots, and see the turnout while voting is open.
    case enterPaperBallots
    /// Report on the year's projects of the jurisdiction: updates, milestones, linked items.
    case manageProjects
    /// Survey scores (民意评警) of the jurisdiction, per unit and officer.
    case readOpinion
    /// Set up survey campaigns (bureau level).
    case manageSurveys
    /// Record survey answers taken by phone or face to face.
    case recordSurveys
    /// Read the yearly assessment of the jurisdiction's officers and units.
    case readAssessment
    /// Configure the yearly assessment's scheme, enter scores, issue it (bureau level).
    case manageAssessment
    /// Publish safety alerts and prevention tips for the jurisdiction's communities, withdraw them, mark them as sent
    /// to a community's group.
    case publishAlerts
    /// The policing community of the jurisdiction (volunteers, partner organisations, security assistants), their
    /// activities and shared tasks.
    case readVolunteers
    /// Register members of the policing community, log their activities, share tasks and record their outcome.
    case manageVolunteers
    /// Informants (信息员): registered, seen and logged only by the roles that handle them, every look audited.
    case handleInformants

    /// The roles that hold the permission; empty means every officer.
    public var roles: Set<Role> {
        switch self {
        case .staff: []
        case .registerItems: [.intakeClerk, .dispatcher]
        case .triage: [.dispatcher]
        case .unitWork: [.handler, .unitLead]
        case .callBack, .callBackServices: [.callbackAgent]
        case .readSupervision: [.inspector, .leader, .dispatcher, .unitLead]
        case .readBulletins: [.leader, .inspector, .unitLead, .admin]
        case .issueBulletin: [.leader, .admin]
        case .useEchoCards: [.admin, .intakeClerk]
        case .issueEchoCards, .setDeadlines, .setCallbackDays, .importBusinessRecords: [.admin]
        case .readAudit: [.auditor, .admin]
        case .readContact: Set(Role.allCases.filter(\.mayReadContact))
        case .readHouseholds: [.communityOfficer, .unitLead, .leader, .admin]
        case .manageHouseholds: [.communityOfficer, .unitLead, .admin]
        case .visit: [.communityOfficer, .unitLead]
        case .setVisitRules: [.admin]
        case .readCoverage: [.leader, .unitLead, .inspector, .communityOfficer, .admin]
        case .readPairs: [.leader, .unitLead, .inspector, .communityOfficer, .admin]
        case .managePairs: [.leader, .unitLead, .admin]
        case .manageMeetings: [.leader, .unitLead, .admin]
        case .superviseVisits: [.inspector, .leader]
        case .assignAreas: [.leader, .unitLead, .admin]
        case .manageBallots: [.leader, .admin]
        case .enterPaperBallots: [.communityOfficer, .unitLead, .intakeClerk, .admin]
        case .manageProjects: [.unitLead, .leader, .admin]
        case .readOpinion: [.leader, .unitLead, .inspector, .admin]
        case .manageSurveys: [.leader, .admin]
        case .recordSurveys: [.callbackAgent, .admin]
        case .readAssessment: [.leader, .unitLead, .inspector, .admin]
        case .manageAssessment: [.leader, .admin]
        case .publishAlerts: [.communityOfficer, .unitLead, .leader, .dispatcher]
        case .readVolunteers: [.communityOfficer, .unitLead, .leader, .admin]
        case .manageVolunteers: [.communityOfficer, .unitLead, .admin]
        case .handleInformants: [.unitLead, .leader]
        }
    }

    /// Whether the permission acts on the whole bureau, so that only an officer whose jurisdiction is the bureau
    /// holds it, whatever their role.
    public var isBureauWide: Bool {
        switch self {
        case .issueBulletin, .setDeadlines, .setCallbackDays, .setVisitRules, .manageBallots, .manageSurveys, .manageAssessment: true
        default: false
        }
    }

    /// Whether `actor` holds the permission.
    public func isHeld(by actor: Actor) -> Bool {
        (roles.isEmpty || actor.officer.hasAny(roles)) && (!isBureauWide || actor.isBureauWide)
    }
}
