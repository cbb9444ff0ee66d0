import Foundation

/// Calendar rules for deadlines, in the bureau's time zone (China Standard Time).
public enum Deadlines {
    /// China Standard Time, UTC+8, no daylight saving.
    public static let timeZone = TimeZone(secondsFromGMT: 8 * 3600)!

    /// The Gregorian calendar in China Standard Time, made once: creating a calendar is costly, and intake asks for
    /// the year of every submission.
    public static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }()

    /// Callbacks fall due the day after the reply: at 00:00 of the next calendar day.
    public static func callbackDue(afterReplyAt replied: Date) -> Date {
        let calendar = calendar
        let startOfDay = calendar.startOfDay(for: replied)
        return calendar.date(byAdding: .day, value: 1, to: startOfDay)!
    }

    /// The calendar year of a moment, in the bureau's time zone.
    public static func year(of date: Date) -> Int {
        calendar.component(.year, from: date)
    }

    /// The first moment of the month containing `date`, and of the month after.
    public static func month(containing date: Date) -> (start: Date, end: Date) {
        let calendar = calendar
        let start = calendar.date(from: calendar.dateComponents([.year, .month], from: date))!
        return (start, calendar.date(byAdding: .month, value: 1, to: start)!)
    }
}
