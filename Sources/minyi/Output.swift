import Foundation
import Logging
import MinyiApp

/// A bar of 30 cells, filled to `fraction` (0…1).
func progressBar(_ fraction: Double) -> String {
    let width = 30
    let filled = Int(Double(width) * max(0, min(1, fraction)))
    return String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
}

/// Redraws the progress line on standard error.
func showProgress(_ line: String) {
    // A progress bar is for a person at a terminal; a log shipper reading JSON lines gets none.
    guard !JSONLogHandler.isRequested else { return }
    FileHandle.standardError.write(Data("\r  \(line)".utf8))
}

/// A command that could not do its work: the message is printed, without the usage text.
struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Prints a line straight to standard output. `print` buffers whole blocks when standard output is a file or a pipe,
/// so what the server says at start (its address, the demo logins) would reach a log only when it exits.
func say(_ line: String) {
    if JSONLogHandler.isRequested {
        JSONLogHandler.write(level: "notice", label: "minyi", message: line)
    } else {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

/// Ends a progress bar's line (nothing in JSON mode, where there is no bar).
func endProgress() {
    guard !JSONLogHandler.isRequested else { return }
    FileHandle.standardError.write(Data("\n".utf8))
}
