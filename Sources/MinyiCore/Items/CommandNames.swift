import Foundation

/// Each command as officers and residents read it: "不能再派发", "Done: accept".
extension ItemCommand.Name {
    public var nameZh: String {
        switch self {
        case .answer: "当场答复"
        case .dispatch: "派发"
        case .accept: "签收"
        case .reply: "答复"
        case .return: "退单"
        case .merge: "合并"
        case .reject: "不予受理"
        case .callback: "回访"
        case .supervise: "督办"
        case .close: "销号"
        case .overdue: "超期"
        case .recategorize: "调整类别"
        }
    }

    public var nameEn: String {
        switch self {
        case .answer: "answer"
        case .dispatch: "dispatch"
        case .accept: "accept"
        case .reply: "reply"
        case .return: "return"
        case .merge: "merge"
        case .reject: "reject"
        case .callback: "call back"
        case .supervise: "supervise"
        case .close: "close"
        case .overdue: "mark overdue"
        case .recategorize: "recategorise"
        }
    }
}
