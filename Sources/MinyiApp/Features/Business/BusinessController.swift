import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// Business records from other police systems, over the API (integrations use an API key).
struct BusinessController: Sendable {
    let business: SQLBusinessStore
    let organisation: SQLOrganisationStore
    let maxBodyBytes: Int
    let now: @Sendable () -> Date

    struct ImportRequest: Decodable {
        struct Record: Decodable {
            var recordId: String?
            var businessType: String?
            var unit: String?
            var officer: String?
            var name: String?
            var phone: String?
            var date: String?
            var sensitive: Bool?
        }
        var records: [Record]?
    }

    struct ImportResponse: Codable {
        struct Rejected: Codable {
            var index: Int
            var field: String
            var message: String
        }
        var imported: Int
        var skipped: Int
        var rejected: [Rejected]
    }

    /// The most records one request may carry.
    static let maxRecords = 1000

    /// `POST /api/v1/business-records`: `{"records": [{record_id, business_type, unit, officer, name, phone, date, sensitive}]}`.
    /// Good records are imported in one transaction; re-sent record IDs are skipped; bad ones come back with their index.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        let body = try await JSON.decode(ImportRequest.self, from: request, limit: max(maxBodyBytes, 1 << 20))
        guard let records = body.records, !records.isEmpty else {
            throw ValidationError.invalid(field: "records", message: "records 不能为空 (records must not be empty)")
        }
        guard records.count <= Self.maxRecords else {
            throw ValidationError.invalid(
                field: "records",
                message: "每次最多 \(Self.maxRecords) 条 (at most \(Self.maxRecords) records per request)")
        }
        let types = Set(try await business.types().map(\.code))
        // An administrator imports for the units of their own subtree only; another station's unit is refused as
        // outside the jurisdiction, by record.
        let allUnits = try await organisation.units()
        let units = Set(allUnits.filter { actor.jurisdiction.contains($0) }.map(\.id))
        let elsewhere = Set(allUnits.map(\.id)).subtracting(units)
        let header = try BusinessRecordCSV.Header(BusinessRecordCSV.Column.allCases.map(\.rawValue))
        var good: [BusinessRecord] = []
        var seen = Set<String>()
        var rejected: [ImportResponse.Rejected] = []
        var duplicates = 0
        for (index, record) in records.enumerated() {
            let cells = [
                record.recordId, record.businessType, record.unit, record.officer, record.name, record.phone, record.date,
                record.sensitive.map { $0 ? "1" : "0" },
            ].map { $0 ?? "" }
            if let unit = record.unit, elsewhere.contains(PoliceUnit.ID(unit.trimmed)) {
                rejected.append(.init(index: index, field: "unit", message: "单位 \(unit) 不在您的辖区内 (outside your jurisdiction)"))
                continue
            }
            do {
                let parsed = try BusinessRecordCSV.record(cells, header: header, knownTypes: types, knownUnits: units)
                if seen.insert(parsed.recordID).inserted { good.append(parsed) } else { duplicates += 1 }
            } catch {
                rejected.append(.init(index: index, field: error.field, message: error.description))
            }
        }
        let result = try await business.importRecords(good, source: "api", by: actor, at: now())
        return try JSON.response(ImportResponse(imported: result.imported, skipped: result.skipped + duplicates, rejected: rejected))
    }

    struct TypeView: Codable {
        var code: String
        var nameZh: String
        var nameEn: String
        var callbackDays: Int
        var category: String?
    }

    struct CallbackDaysRequest: Decodable {
        var callbackDays: Int?
    }

    /// `GET /api/v1/business-types`: the types and how many days after the service their callbacks fall due.
    @Sendable func types(_ request: Request, context: AppRequestContext) async throws -> Response {
        return try JSON.response(
            try await business.types().map {
                TypeView(code: $0.code, nameZh: $0.nameZh, nameEn: $0.nameEn, callbackDays: $0.callbackDays, category: $0.category?.rawValue)
            })
    }

    /// `POST /api/v1/business-types/{code}/callback-days` `{callback_days}`: when callbacks of a type fall due (administrators).
    @Sendable func setCallbackDays(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = context.parameters.get("code") ?? ""
        let body = try await JSON.decode(CallbackDaysRequest.self, from: request, limit: maxBodyBytes)
        guard let days = body.callbackDays else {
            throw AppError.badRequest(
                field: "callback_days",
                message: "callback_days: 缺少必填字段 (required)")
        }
        try await business.setCallbackDays(days, for: code)
        return try await types(request, context: context)
    }
}
