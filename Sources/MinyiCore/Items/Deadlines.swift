import Foundation

/// Calendar rules for deadlines, in the bureau's time zone (China Standard Time).
public enum Deadlines {
    /// China Standard Time's offset from UTC: eight hours, all year.
    public static let offset = 8 * 3600

    /// China Standard Time, UTC+8, no daylight saving.
    public static let timeZone: TimeZone = {
        guard let zone = TimeZone(secondsFromGMT: offset) else { preconditionFailure("UTC+8 is a valid time zone offset") }
        return zone
    }()

    /// The Gregorian calendar in China Standard Time, made once: creating a calendar is costly, and intake asks for
    /// the year of every submission.
    public static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }()

    /// Callbacks fall due the day after the reply: at 00:00 of the next calendar day.
    public static func callbackDue(afterReplyAt replied: Date) -> Date {
        dayStart(of: replied).addingTimeInterval(86400)
    }

    /// The calendar year of a moment, in the bureau's time zone.
    public static func year(of date: Date) -> Int {
        civil(fromDays: localDays(of: date)).year
    }

    /// The first moment of the month containing `date`, and of the month after.
    public static func month(containing date: Date, offsetBy months: Int = 0) -> (start: Date, end: Date) {
        let (year, month, _) = civil(fromDays: localDays(of: date))
        return (start(year: year, month: month + months), start(year: year, month: month + months + 1))
    }

    /// The `count` months up to and including the one containing `date`, oldest first.
    public static func months(endingWith date: Date, count: Int) -> [(start: Date, end: Date)] {
        var months: [(start: Date, end: Date)] = []
        var current = month(containing: date)
        for _ in 0..<max(0, count) {
            months.append(current)
            current = month(containing: current.start, offsetBy: -1)
        }
        return months.reversed()
    }

    /// A month as `2026-11`.
    public static func monthLabel(_ start: Date) -> String {
        let parts = calendar.dateComponents([.year, .month], from: start)
        let month = parts.month ?? 1
        return "\(parts.year ?? 0)-" + (month < 10 ? "0" : "") + String(month)
    }

    /// The month named `2026-11`, or nil when the text is not such a month.
    public static func month(named text: String) -> (start: Date, end: Date)? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]), (2000...2100).contains(year), (1...12).contains(month)
        else { return nil }
        return (start(year: year, month: month), start(year: year, month: month + 1))
    }
}

extension Deadlines {
    /// The first moment of the day (Beijing time) containing `date`. China keeps UTC+8 all year, so this is arithmetic.
    public static func dayStart(of date: Date) -> Date {
        Date(timeIntervalSince1970: TimeInterval(localDays(of: date) * 86400 - offset))
    }
}

extension Deadlines {
    /// The first moment of the month (Beijing time) containing `date`, by calendar arithmetic on days since 1970
    /// (the proleptic Gregorian calendar, UTC+8 all year): the same as `month(containing:).start`, without a
    /// `Calendar`, for code that asks for every item.
    public static func monthStart(of date: Date) -> Date {
        let (year, month, _) = civil(fromDays: localDays(of: date))
        return start(year: year, month: month)
    }

    /// The first moment (Beijing time) of a day; a month below 1 or above 12 counts into the year before or after.
    public static func start(year: Int, month: Int, day: Int = 1) -> Date {
        let fromJanuary = month - 1
        let years = fromJanuary >= 0 ? fromJanuary / 12 : (fromJanuary - 11) / 12
        let days = days(year: year + years, month: fromJanuary - years * 12 + 1, day: day)
        return Date(timeIntervalSince1970: TimeInterval(days * 86400 - offset))
    }

    /// Whole days (Beijing time) from 1970-01-01 to the day containing `date`.
    public static func localDays(of date: Date) -> Int {
        let local = Int(date.timeIntervalSince1970.rounded(.down)) + offset
        return local >= 0 ? local / 86400 : (local - 86399) / 86400
    }

    /// The day of the week (Beijing time) of `date`: 1 Monday … 7 Sunday. 1970-01-01 was a Thursday.
    public static func weekday(of date: Date) -> Int { ((localDays(of: date) + 3) % 7 + 7) % 7 + 1 }

    /// Year, month and day of the day `days` after 1970-01-01.
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        // Count in 400-year eras starting on 0000-03-01, so that leap days fall at the end of each year.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days from 1970-01-01 to the given date.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
