import ArgumentParser
import Foundation
import Logging
import MinyiApp
import MinyiCore
import MinyiStorage

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "从其他警务系统导入数据 Import data from other police systems", subcommands: [Business.self, Households.self, Survey.self])

    struct Business: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "导入业务记录 Import business records from CSV (UTF-8; header: record_id,business_type,unit,officer,name,phone,date,sensitive)")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The CSV file") var file: String
        @Option(help: "Where to write the rejected rows (default FILE.rejects.csv)") var rejects: String?

        func run() async throws {
            try await importFile(file, rejects: rejects, database: database, counted: "records") { dependencies, url, progress in
                try await dependencies.business.importCSV(at: url, by: nil, at: Date(), progress: progress)
            }
        }
    }

    struct Households: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "导入户籍底册 Import a household register from CSV (UTF-8, one row per person; header: "
                + "register_key,unit,address,name,phone,id_number,relation,tags)")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The CSV file") var file: String
        @Option(help: "Where to write the rejected rows (default FILE.rejects.csv)") var rejects: String?

        func run() async throws {
            try await importFile(file, rejects: rejects, database: database, counted: "households") { dependencies, url, progress in
                try await dependencies.community.importHouseholds(at: url, by: nil, at: Date(), progress: progress)
            }
        }
    }
}

extension Import {
    struct Survey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "导入第三方民意评警结果 Import a third party's survey results from CSV (UTF-8, one row per response; header: "
                + "response_id,unit,officer,date,saw_police,knows_officer,attitude,safety,satisfaction,comment,surveyor)")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The survey campaign's ID") var campaign: String
        @Argument(help: "The CSV file") var file: String
        @Option(help: "Where to write the rejected rows (default FILE.rejects.csv)") var rejects: String?

        func run() async throws {
            let campaign = self.campaign
            try await importFile(file, rejects: rejects, database: database, counted: "responses") { dependencies, url, progress in
                try await dependencies.surveys.importCSV(at: url, into: .init(campaign), by: nil, at: Date(), progress: progress)
            }
        }
    }
}

/// Runs an import of a CSV file with a progress bar; writes the rejected rows, with line and reason, beside the file.
func importFile(
    _ file: String, rejects: String?, database: DatabaseOptions, counted: String,
    _ run: (AppDependencies, URL, @escaping @Sendable (BusinessImportProgress) -> Void) async throws -> BusinessImportReport
) async throws {
    let config = try database.config()
    let dependencies = try await AppDependencies.live(config: config, logger: makeLogger(.warning))
    let url = URL(fileURLWithPath: file)
    guard FileManager.default.isReadableFile(atPath: url.path) else {
        await dependencies.database.shutdown()
        throw Failure("无法读取文件 cannot read \(file)")
    }
    let started = Date()
    let report: BusinessImportReport
    do {
        report = try await run(dependencies, url) { progress in
            let fraction = progress.bytesTotal == 0 ? 1 : Double(progress.bytesRead) / Double(progress.bytesTotal)
            let label = progress.phase == .checking ? "检查 checking" : "写入 writing"
            showProgress("\(label) \(progressBar(fraction)) \(Int(min(1, fraction) * 100))%  \(progress.rows) rows   ")
        }
        endProgress()
    } catch let error as BusinessRecordCSV.FileError {
        endProgress()
        await dependencies.database.shutdown()
        throw Failure("未导入任何记录 nothing imported: \(error.description)")
    }
    await dependencies.database.shutdown()
    let seconds = Date().timeIntervalSince(started)
    say(
        "共 \(report.rows) 行 rows: 导入 imported \(report.imported) \(counted), 跳过（重复）skipped as duplicates \(report.skipped), "
            + "拒绝 rejected \(report.rejected.count) rows")
    say(String(format: "用时 %.1f 秒 (%.0f rows/s)", seconds, Double(report.rows) / max(seconds, 0.001)))
    if !report.rejected.isEmpty {
        let path = rejects ?? (file + ".rejects.csv")
        var text = "\u{FEFF}" + CSV.row(["行号 line", "原因 reason", "原始内容 original"])
        for rejected in report.rejected { text += CSV.row([String(rejected.line), rejected.reason, rejected.text]) }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        say("被拒绝的行已写入 rejected rows written to \(path)")
        for rejected in report.rejected.prefix(5) { say("  第 \(rejected.line) 行 line: \(rejected.reason)") }
    }
}

struct Tallies: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "统计汇总表 The rollups behind the dashboard, measures, bulletins and analysis", subcommands: [Rebuild.self])

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "按事项重新汇总（批量导入或恢复备份之后）Recount the rollups from the items, after a bulk load or a restore")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let config = try database.config()
            let dependencies = try await AppDependencies.live(config: config, logger: makeLogger(.warning))
            let started = Date()
            let counted = try await dependencies.items.rebuildTallies { done, total in
                showProgress("\(progressBar(Double(done) / Double(max(total, 1)))) \(done)/\(total)")
            }
            endProgress()
            await dependencies.database.shutdown()
            let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
            say("已重新汇总 \(counted) 件事项，用时 \(seconds) 秒 (recounted \(counted) items in \(seconds) s)")
        }
    }
}
