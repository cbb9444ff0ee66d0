import Foundation
import Testing

@testable import MinyiCore

struct DeadlinesTests {
    /// The arithmetic month start agrees with the calendar's, around month ends and across leap years and centuries.
    @Test func dayMonthAndYearByArithmeticMatchTheCalendar() {
        var moments: [Date] = []
        var state: UInt64 = 42
        for _ in 0..<5000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // 1950 to 2150, any second.
            moments.append(Date(timeIntervalSince1970: -631_152_000 + Double((state >> 20) % 6_311_520_000)))
        }
        for year in [1999, 2000, 2024, 2026, 2100] {
            for month in 1...12 {
                let start = Deadlines.calendar.date(from: DateComponents(year: year, month: month, day: 1))!
                moments += [start, start.addingTimeInterval(-1), start.addingTimeInterval(1)]
            }
        }
        for moment in moments {
            #expect(Deadlines.monthStart(of: moment) == Deadlines.month(containing: moment).start, "\(moment)")
            #expect(Deadlines.dayStart(of: moment) == Deadlines.calendar.startOfDay(for: moment), "\(moment)")
            #expect(Deadlines.year(of: moment) == Deadlines.calendar.component(.year, from: moment), "\(moment)")
        }
    }
}
