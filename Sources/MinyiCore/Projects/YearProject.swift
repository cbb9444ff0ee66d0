import Foundation

/// One of the year's projects (十件实事) as delivered in public: chosen by the ballot (or set by the bureau), with a
/// responsible unit, a due date, milestones, progress and dated updates that anyone can follow.
public struct YearProject: Sendable, Hashable {
    public typealias ID = Identifier<YearProject>

    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case planned, underway, delivered, suspended

        public var nameZh: String {
            switch self {
            case .planned: "未启动"
            case .underway: "推进中"
            case .delivered: "已完成"
            case .suspended: "暂缓"
            }
        }

        public var nameEn: String {
            switch self {
            case .planned: "Planned"
            case .underway: "Under way"
            case .delivered: "Delivered"
            case .suspended: "Suspended"
            }
        }
    }

    public var id: ID
    public var year: Int
    public var title: String
    public var summary: String
    public var unitID: PoliceUnit.ID
    /// The ballot and the candidate it was chosen as, when it came from a ballot.
    public var campaignID: BallotCampaign.ID?
    public var candidateID: BallotCandidate.ID?
    public var votes: Int?
    public var status: Status
    /// 0–100.
    public var progress: Int
    public var due: Date
    public var deliveredAt: Date?

    public init(
        id: ID, year: Int, title: String, summary: String, unitID: PoliceUnit.ID, campaignID: BallotCampaign.ID?,
        candidateID: BallotCandidate.ID?, votes: Int?, status: Status, progress: Int, due: Date, deliveredAt: Date?
    ) {
        self.id = id
        self.year = year
        self.title = title
        self.summary = summary
        self.unitID = unitID
        self.campaignID = campaignID
        self.candidateID = candidateID
        self.votes = votes
        self.status = status
        self.progress = progress
        self.due = due
        self.deliveredAt = deliveredAt
    }

    /// Past its due date and not delivered; delivered after it counts as delivered late.
    public func isLate(at now: Date) -> Bool {
        if let deliveredAt { return deliveredAt > due }
        return status != .delivered && now > due
    }
}

/// A step of a project with its own date.
public struct ProjectMilestone: Sendable, Hashable {
    public var seq: Int
    public var title: String
    public var due: Date
    public var doneAt: Date?

    public init(seq: Int, title: String, due: Date, doneAt: Date?) {
        self.seq = seq
        self.title = title
        self.due = due
        self.doneAt = doneAt
    }
}

/// A dated public update: what was done, the progress and status after it, a photo's caption. Updates are never
/// changed; a correction is a new update.
public struct ProjectUpdate: Sendable, Hashable {
    public var projectID: YearProject.ID
    public var seq: Int
    public var at: Date
    public var actorID: Officer.ID?
    public var text: String
    public var progress: Int
    public var status: YearProject.Status
    public var photoCaption: String?

    public init(
        projectID: YearProject.ID, seq: Int, at: Date, actorID: Officer.ID?, text: String, progress: Int, status: YearProject.Status,
        photoCaption: String?
    ) {
        self.projectID = projectID
        self.seq = seq
        self.at = at
        self.actorID = actorID
        self.text = text
        self.progress = progress
        self.status = status
        self.photoCaption = photoCaption
    }

    /// An update as entered, checked against the project: text needed, progress 0–100 and not backwards unless the
    /// update says why (a correction), "delivered" only at 100%, nothing after delivery but a correction.
    public static func validated(
        text: String?, progress: Int?, status: YearProject.Status?, photoCaption: String?, correction: Bool, of project: YearProject
    ) throws(ValidationErrors) -> (text: String, progress: Int, status: YearProject.Status, caption: String?) {
        // Every rule checked, each fault naming its field, so that the form shows them all at once.
        var check = Validator()
        let text = text ?? ""
        if text.trimmed.isEmpty { check.fail("text", "请填写进展情况 (say what was done)") }
        if text.count > 2000 { check.fail("text", "最多 2000 字 (at most 2,000 characters)") }
        let progress = progress ?? project.progress
        if !(0...100).contains(progress) {
            check.fail("progress", "进度应为 0–100 (progress is 0 to 100)")
        } else if progress < project.progress && !correction {
            check.fail("progress", "进度不能倒退，更正请勾选“更正” (progress does not go back; tick “correction” to correct it)")
        }
        var status = status ?? (progress == 100 ? .delivered : progress > 0 ? .underway : project.status)
        if status == .planned && progress > 0 { status = .underway }
        if status == .delivered && progress != 100 {
            check.fail("status", "进度 100% 才能标记完成 (delivered means 100%)")
        } else if project.status == .delivered && !correction {
            check.fail("status", "项目已完成，如需更正请勾选“更正” (delivered: tick “correction” to correct it)")
        }
        if let photoCaption, photoCaption.count > 200 {
            check.fail("photo_caption", "图片说明最多 200 字 (a caption is at most 200 characters)")
        }
        try check.finish()
        let caption = photoCaption.flatMap { $0.trimmed.isEmpty ? nil : $0 }
        return (text, progress, status, caption)
    }
}
