import Crypto
import Foundation
import MinyiCore
import SQLKit

/// A meeting with what it gave: how many came, each reporter's ratings added up, the items raised.
public struct MeetingRecord: Sendable, Hashable {
    public var meeting: Meeting
    public var codesIssued: Int
    public var attended: Int
    public var results: [Officer.ID: MeetingResult]
    public var items: [String]
}

extension SQLCommunityStore {
    /// What a new meeting says, checked.
    public struct MeetingInput: Sendable, Hashable {
        public var title: String
        public var kind: Meeting.Kind
        public var unitID: PoliceUnit.ID
        public var place: String
        public var startsAt: Date
        public var reporters: [Officer.ID]
        public var invitedDeputies: Int
        public var invitedResidents: Int

        public init(
            title: String, kind: Meeting.Kind, unitID: PoliceUnit.ID, place: String, startsAt: Date, reporters: [Officer.ID], invitedDeputies: Int,
            invitedResidents: Int
        ) throws(ValidationErrors) {
            // Every field checked, each fault named, so that a form shows them all at once.
            var check = Validator()
            func text(_ raw: String, _ field: String, max: Int) -> String {
                check.check { () throws(ValidationError) in
                    try ValidationError.checkPlain(raw, field: field)
                    let value = raw.trimmed
                    guard !value.isEmpty, value.count <= max else {
                        throw .invalid(field: field, message: "应为 1–\(max) 字 (1 to \(max) characters)")
                    }
                    return value
                } ?? ""
            }
            self.title = text(title, "title", max: 100)
            self.place = text(place, "place", max: 200)
            if reporters.isEmpty || reporters.count > 20 {
                check.fail("reporters", "请选择 1–20 名报告民警 (choose 1 to 20 officers who report)")
            }
            if !(0...10000).contains(invitedDeputies) { check.fail("invited_deputies", "人数不正确 (invalid number)") }
            if !(0...10000).contains(invitedResidents) { check.fail("invited_residents", "人数不正确 (invalid number)") }
            try check.finish()
            self.kind = kind
            self.unitID = unitID
            self.startsAt = startsAt
            self.reporters = reporters
            self.invitedDeputies = invitedDeputies
            self.invitedResidents = invitedResidents
        }
    }

    /// Plans a meeting of a unit in the actor's jurisdiction; the officers who report must serve there.
    public func planMeeting(_ input: MeetingInput, by actor: Actor, at now: Date) async throws -> Meeting {
        let id = Meeting.ID(newID())
        return try await database.write { db in
            guard let unit = try await SQLOrganisationStore.unit(on: db, id: input.unitID), actor.jurisdiction.contains(unit) else {
                throw ValidationError.invalid(field: "unit", message: "单位 \(input.unitID) 不在您的辖区 (not in your jurisdiction)")
            }
            for officer in Set(input.reporters) {
                let path = try await Self.unitPath(ofOfficer: officer, field: "reporters", on: db)
                guard actor.jurisdiction.contains(path: path) else {
                    throw ValidationError.invalid(field: "reporters", message: "民警 \(officer) 不在您的辖区 (not in your jurisdiction)")
                }
            }
            try await db.raw(
                """
                INSERT INTO meetings (id, title, kind, unit_id, unit_path, place, starts_at, status, invited_deputies, invited_residents, \
                created_by, created_at)
                VALUES (\(bind: id.rawValue), \(bind: input.title), \(bind: input.kind.rawValue), \(bind: unit.id.rawValue), \(bind: unit.path), \
                \(bind: input.place), \(bind: input.startsAt.epochSeconds), 'planned', \(bind: input.invitedDeputies), \
                \(bind: input.invitedResidents), \
                \(bind: actor.officer.id.rawValue), \(bind: now.epochSeconds))
                """
            ).run()
            var seen = Set<Officer.ID>()
            for (position, officer) in input.reporters.enumerated() where seen.insert(officer).inserted {
                try await db.raw(
                    """
                    INSERT INTO meeting_reporters (meeting_id, officer_id, position) VALUES (\(bind: id.rawValue), \(bind: officer.rawValue), \
                    \(bind: position))
                    """
                ).run()
            }
            return Meeting(
                id: id, title: input.title, kind: input.kind, unitID: unit.id, place: input.place, startsAt: input.startsAt, status: .planned,
                reporters: input.reporters.filter { seen.contains($0) }.reduce(into: []) { if !$0.contains($1) { $0.append($1) } },
                invitedDeputies: input.invitedDeputies, invitedResidents: input.invitedResidents)
        }
    }

    /// Makes `count` attendance codes for the door; they are shown once (to print) and kept only as hashes.
    public func issueCodes(_ count: Int, for id: Meeting.ID, by actor: Actor) async throws -> [String] {
        guard (1...2000).contains(count) else { throw ValidationError.invalid(field: "count", message: "每次 1–2000 张 (1 to 2000 codes)") }
        var generator = SystemRandomNumberGenerator()
        let codes = (0..<count).map { _ in
            String((0..<Meeting.codeLength).map { _ in Meeting.codeAlphabet[Int(generator.next() % UInt64(Meeting.codeAlphabet.count))] })
        }
        try await database.write { db in
            let meeting = try await Self.meetingRow(id, for: actor, on: db)
            guard meeting.status != .closed else { throw StorageError.conflict("会议已结束，不能再发放 (the meeting is closed)") }
            for code in codes {
                try await db.raw(
                    """
                    INSERT INTO meeting_codes (code_hash, meeting_id, used) VALUES (\(bind: Self.codeHash(code, meeting: id)),
                    \(bind: id.rawValue), 0)
                    """
                ).run()
            }
        }
        return codes
    }

    /// Opens the meeting for ratings, or closes it (its results become public).
    public func setMeetingStatus(_ status: Meeting.Status, of id: Meeting.ID, by actor: Actor, at now: Date) async throws {
        try await database.write { db in
            let meeting = try await Self.meetingRow(id, for: actor, on: db)
            let allowed: [Meeting.Status: [Meeting.Status]] = [.planned: [.open, .closed], .open: [.closed]]
            guard allowed[meeting.status]?.contains(status) == true else {
                throw StorageError.conflict(
                    "会议\(meeting.status.nameZh)，不能改为\(status.nameZh) (cannot go from \(meeting.status.rawValue) to \(status.rawValue))")
            }
            try await db.raw(
                """
                UPDATE meetings SET status = \(bind: status.rawValue), closed_at = \(bind: status == .closed ? now.epochSeconds : nil) \
                WHERE id = \(bind: id.rawValue)
                """
            ).run()
        }
    }

    /// An attendee's ratings of the officers who reported, with the code handed out at the door: the meeting must be
    /// under way, the code unused, and every reporter rated. The ratings are added to each officer's sums; the code is
    /// only marked used, so nothing ties the two together.
    public func rate(_ id: Meeting.ID, code raw: String, ratings: [Officer.ID: MeetingRating]) async throws {
        let code = Meeting.normaliseCode(raw)
        try await database.write { db in
            guard let meeting = try await Self.decodeMeeting(id, on: db) else { throw StorageError.notFound(what: "会议", id: id.rawValue) }
            guard meeting.status == .open else {
                throw ValidationError.invalid(
                    field: "code",
                    message: "会议\(meeting.status.nameZh)，现在不能评议 (the meeting is not open for ratings)")
            }
            let hash = Self.codeHash(code, meeting: id)
            guard let row = try await db.raw("SELECT used FROM meeting_codes WHERE code_hash = \(bind: hash)\(DatabaseDialect(db).lockRows)").first()
            else { throw ValidationError.invalid(field: "code", message: "评议码不正确 (no such code)") }
            guard try row.int("used") == 0 else {
                throw ValidationError.invalid(
                    field: "code",
                    message: "这个评议码已经用过 (this code was already used)")
            }
            for officer in meeting.reporters where ratings[officer] == nil {
                throw ValidationError.invalid(field: "rating.\(officer.rawValue)", message: "请为每位报告民警评议 (rate every officer who reported)")
            }
            try await db.raw("UPDATE meeting_codes SET used = 1 WHERE code_hash = \(bind: hash)").run()
            for officer in meeting.reporters {
                guard let rating = ratings[officer] else { continue }
                var sets: [SQLQueryString] = []
                for indicator in CallbackScores.Indicator.allCases {
                    guard let value = rating.scores[indicator] else { continue }
                    let name = indicator.rawValue
                    sets.append(SQLQueryString("\(name)_sum = \(name)_sum + ") + "\(bind: value)" + SQLQueryString(", \(name)_n = \(name)_n + 1"))
                }
                let result: String =
                    switch rating.result {
                    case .satisfied: "satisfied"
                    case .basicallySatisfied: "basically_satisfied"
                    default: "dissatisfied"
                    }
                sets.append(SQLQueryString("\(result) = \(result) + 1"))
                try await db.raw(
                    """
                    INSERT INTO meeting_results (meeting_id, officer_id) VALUES (\(bind: id.rawValue), \(bind: officer.rawValue))
                    ON CONFLICT (meeting_id, officer_id) DO NOTHING
                    """
                ).run()
                try await db.raw(
                    SQLQueryString("UPDATE meeting_results SET ") + sets.joined(separator: ", ")
                        + " WHERE meeting_id = \(bind: id.rawValue) AND officer_id = \(bind: officer.rawValue)"
                ).run()
            }
        }
    }

    /// A concern raised at the meeting, registered as an item (channel "meeting") and linked to it.
    public func raiseConcern(at id: Meeting.ID, _ submission: Submission, by actor: Actor, at now: Date) async throws -> String {
        guard submission.channel == .meeting else {
            throw ValidationError.invalid(
                field: "channel",
                message: "应为会议渠道 (channel must be meeting)")
        }
        let itemID = newID()
        return try await database.write { db in
            let meeting = try await Self.meetingRow(id, for: actor, on: db)
            guard let place = try await SQLOrganisationStore.unit(on: db, id: submission.placeID), actor.jurisdiction.contains(place) else {
                throw ValidationError.invalid(field: "place", message: "地点不在您的辖区 (not in your jurisdiction)")
            }
            guard try await db.raw("SELECT code FROM categories WHERE code = \(bind: submission.category.rawValue)").first() != nil else {
                throw ValidationError.invalid(field: "category", message: "未知的类别 \(submission.category) (unknown category)")
            }
            guard meeting.status != .planned else {
                throw StorageError.conflict("会议尚未开始 (the meeting has not started)")
            }
            let input = Intake.Input(
                id: .init(itemID), submission: submission, place: place, idempotencyKey: nil, idempotencyHash: nil, actorID: actor.officer.id,
                actorUnitID: actor.unit.id, at: now)
            let tallies = TallyChanges()
            switch try await Intake.execute([input], on: db, tallies: tallies)[0] {
            case .success(let output):
                try await tallies.write(on: db)
                try await db.raw(
                    "INSERT INTO meeting_items (item_number, meeting_id) VALUES (\(bind: output.item.number), \(bind: id.rawValue))"
                ).run()
                return output.item.number
            case .failure(let error):
                throw error
            }
        }
    }

    /// Meetings of the actor's jurisdiction, newest first.
    public func meetings(for actor: Actor, limit: Int = 100) async throws -> [Meeting] {
        try await database.read { db in
            let ids = try await db.raw(
                "SELECT id FROM meetings WHERE unit_path LIKE \(bind: actor.jurisdiction.path + "%") ORDER BY starts_at DESC LIMIT \(bind: limit)"
            ).all().map { try $0.string("id") }
            var meetings: [Meeting] = []
            for id in ids { if let meeting = try await Self.decodeMeeting(.init(id), on: db) { meetings.append(meeting) } }
            return meetings
        }
    }

    /// A meeting with its results, for staff of its jurisdiction (nil otherwise), or for anyone once it is closed
    /// (`actor` nil: the public page).
    public func meetingRecord(_ id: Meeting.ID, for actor: Actor?) async throws -> MeetingRecord? {
        try await database.read { db in
            guard let row = try await db.raw("SELECT unit_path, status FROM meetings WHERE id = \(bind: id.rawValue)").first() else { return nil }
            if let actor {
                guard actor.jurisdiction.contains(path: try row.string("unit_path")) else { return nil }
            }
            guard let meeting = try await Self.decodeMeeting(id, on: db) else { return nil }
            var results: [Officer.ID: MeetingResult] = [:]
            for row in try await db.raw("SELECT * FROM meeting_results WHERE meeting_id = \(bind: id.rawValue)").all() {
                var result = MeetingResult()
                result.satisfied = try row.int("satisfied")
                result.basicallySatisfied = try row.int("basically_satisfied")
                result.dissatisfied = try row.int("dissatisfied")
                for indicator in CallbackScores.Indicator.allCases {
                    result.sums[indicator] = try row.int(indicator.rawValue + "_sum")
                    result.counts[indicator] = try row.int(indicator.rawValue + "_n")
                }
                results[.init(try row.string("officer_id"))] = result
            }
            let codes = try await db.raw(
                "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(used), 0) AS BIGINT) AS used FROM meeting_codes WHERE meeting_id = \(bind: id.rawValue)"
            ).first()
            let items = try await db.raw("SELECT item_number FROM meeting_items WHERE meeting_id = \(bind: id.rawValue) ORDER BY item_number").all()
                .map { try $0.string("item_number") }
            return MeetingRecord(
                meeting: meeting, codesIssued: try codes?.int("n") ?? 0, attended: try codes?.int("used") ?? 0, results: results, items: items)
        }
    }

    /// The officers of the actor's jurisdiction (who may report at a meeting), by unit and name.
    public func officers(within actor: Actor) async throws -> [(id: Officer.ID, name: String, unit: PoliceUnit.ID)] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT o.id, o.name, o.unit_id FROM officers o JOIN units u ON u.id = o.unit_id
                WHERE o.active = 1 AND u.path LIKE \(bind: actor.jurisdiction.path + "%") ORDER BY u.path, o.name
                """
            ).all().map { (Officer.ID(try $0.string("id")), try $0.string("name"), PoliceUnit.ID(try $0.string("unit_id"))) }
        }
    }

    /// Closed meetings, newest first: what the public page lists.
    public func closedMeetings(limit: Int = 50) async throws -> [Meeting] {
        try await database.read { db in
            let ids = try await db.raw("SELECT id FROM meetings WHERE status = 'closed' ORDER BY starts_at DESC LIMIT \(bind: limit)").all()
                .map { try $0.string("id") }
            var meetings: [Meeting] = []
            for id in ids { if let meeting = try await Self.decodeMeeting(.init(id), on: db) { meetings.append(meeting) } }
            return meetings
        }
    }

    /// The meeting an item was raised at, when the actor may see it.
    public func meeting(raised number: String, for actor: Actor) async throws -> Meeting? {
        try await database.read { db in
            guard let row = try await db.raw("SELECT meeting_id FROM meeting_items WHERE item_number = \(bind: number)").first(),
                let meeting = try await Self.decodeMeeting(.init(try row.string("meeting_id")), on: db),
                let unit = try await SQLOrganisationStore.unit(on: db, id: meeting.unitID), actor.jurisdiction.contains(unit)
            else { return nil }
            return meeting
        }
    }

    static func meetingRow(_ id: Meeting.ID, for actor: Actor, on db: any SQLDatabase) async throws -> Meeting {
        guard let row = try await db.raw("SELECT unit_path FROM meetings WHERE id = \(bind: id.rawValue)\(DatabaseDialect(db).lockRows)").first(),
            actor.jurisdiction.contains(path: try row.string("unit_path")), let meeting = try await decodeMeeting(id, on: db)
        else { throw StorageError.notFound(what: "会议", id: id.rawValue) }
        return meeting
    }

    static func decodeMeeting(_ id: Meeting.ID, on db: any SQLDatabase) async throws -> Meeting? {
        guard let row = try await db.raw("SELECT * FROM meetings WHERE id = \(bind: id.rawValue)").first() else { return nil }
        guard let kind = Meeting.Kind(rawValue: try row.string("kind")), let status = Meeting.Status(rawValue: try row.string("status")) else {
            throw StorageError.corrupt("meeting \(id)")
        }
        let reporters = try await db.raw(
            "SELECT officer_id FROM meeting_reporters WHERE meeting_id = \(bind: id.rawValue) ORDER BY position"
        ).all().map { Officer.ID(try $0.string("officer_id")) }
        return Meeting(
            id: id, title: try row.string("title"), kind: kind, unitID: .init(try row.string("unit_id")), place: try row.string("place"),
            startsAt: try row.date("starts_at"), status: status, reporters: reporters, invitedDeputies: try row.int("invited_deputies"),
            invitedResidents: try row.int("invited_residents"))
    }

    /// A code's hash, salted with the meeting so the same code of two meetings differs.
    static func codeHash(_ code: String, meeting: Meeting.ID) -> String {
        SHA256.hash(data: Data((meeting.rawValue + ":" + code).utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
