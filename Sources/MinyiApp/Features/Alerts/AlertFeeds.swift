import Foundation
import FoundationXML
import MinyiCore
import MinyiStorage

/// Alerts as residents and other systems follow them: Atom feeds (RFC 4287) per community, per topic or both, and each
/// alert as a CAP 1.2 message (OASIS Common Alerting Protocol: `alert` → `info` → `area`).
enum AlertFeeds {
    /// The Atom feed of `alerts`, newest first. A withdrawn alert stays in the feed, marked withdrawn, so a reader that
    /// saw it learns that it no longer holds.
    static func atom(
        title: String, id: String, selfURL: String, alternateURL: String, alerts: [SafetyAlert], base: String,
        names: WebController.Catalogue, now: Date
    ) -> Data {
        let feed = XMLWriting.element("feed")
        XMLWriting.setNamespace("http://www.w3.org/2005/Atom", on: feed)
        feed.addChild(XMLWriting.element("title", title))
        feed.addChild(XMLWriting.element("id", id))
        feed.addChild(XMLWriting.element("updated", XMLWriting.timestamp(alerts.map(changed).max() ?? now)))
        feed.addChild(XMLWriting.atomLink(selfURL, rel: "self", type: "application/atom+xml"))
        feed.addChild(XMLWriting.atomLink(alternateURL, rel: "alternate", type: "text/html"))
        let author = XMLWriting.element("author")
        author.addChild(XMLWriting.element("name", "民意警务 Minyi"))
        feed.addChild(author)
        for alert in alerts {
            let entry = XMLWriting.element("entry")
            let withdrawn = alert.withdrawnAt == nil ? "" : "【已撤回】"
            entry.addChild(XMLWriting.element("title", "\(withdrawn)【\(alert.topic.nameZh)】\(alert.title)"))
            entry.addChild(XMLWriting.element("id", "urn:minyi:alert:\(alert.id.rawValue)"))
            entry.addChild(XMLWriting.element("published", XMLWriting.timestamp(alert.validFrom)))
            entry.addChild(XMLWriting.element("updated", XMLWriting.timestamp(changed(alert))))
            entry.addChild(XMLWriting.atomLink("\(base)/alerts/\(alert.id.rawValue)", rel: "alternate", type: "text/html"))
            entry.addChild(XMLWriting.atomLink("\(base)/alerts/\(alert.id.rawValue)/cap.xml", rel: "related", type: "application/cap+xml"))
            entry.addChild(XMLWriting.element("category", attributes: [("term", alert.topic.rawValue), ("label", alert.topic.nameZh)]))
            let entryAuthor = XMLWriting.element("author")
            entryAuthor.addChild(XMLWriting.element("name", names.unitName(alert.unitID)))
            entry.addChild(entryAuthor)
            let areas = alert.communities.map { names.placeName($0) }.joined(separator: "、")
            let body = """
                \(alert.text)

                \(alert.severity.nameZh) · \(alert.urgency.nameZh) · 适用：\(areas) · 有效期至 \(Format.dateTime(alert.validUntil))
                """
            entry.addChild(XMLWriting.element("content", body, attributes: [("type", "text")]))
            feed.addChild(entry)
        }
        return XMLWriting.document(feed)
    }

    /// When an alert last changed: its withdrawal, else its start.
    static func changed(_ alert: SafetyAlert) -> Date { alert.withdrawnAt ?? alert.validFrom }

    /// CAP's `category` for a topic.
    static func capCategory(_ topic: SafetyAlert.Topic) -> String {
        switch topic {
        case .fraud, .burglary, .theft, .publicOrder: "Security"
        case .traffic: "Transport"
        case .fire: "Fire"
        case .weather: "Met"
        case .missingPerson: "Rescue"
        }
    }

    /// CAP's date-time: seconds, with the offset written out (CAP does not allow `Z`), in Beijing time.
    static func capTime(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = Deadlines.calendar.timeZone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// The alert as a CAP 1.2 message; a withdrawn alert is a `Cancel` that references the original.
    static func cap(_ alert: SafetyAlert, sender: String, base: String, names: WebController.Catalogue) -> Data {
        let root = XMLWriting.element("alert")
        XMLWriting.setNamespace("urn:oasis:names:tc:emergency:cap:1.2", on: root)
        let identifier = "urn:minyi:alert:\(alert.id.rawValue)"
        let sent = capTime(alert.validFrom)
        if let withdrawn = alert.withdrawnAt {
            root.addChild(XMLWriting.element("identifier", identifier + ":cancel"))
            root.addChild(XMLWriting.element("sender", sender))
            root.addChild(XMLWriting.element("sent", capTime(withdrawn)))
        } else {
            root.addChild(XMLWriting.element("identifier", identifier))
            root.addChild(XMLWriting.element("sender", sender))
            root.addChild(XMLWriting.element("sent", sent))
        }
        root.addChild(XMLWriting.element("status", "Actual"))
        root.addChild(XMLWriting.element("msgType", alert.withdrawnAt == nil ? "Alert" : "Cancel"))
        root.addChild(XMLWriting.element("scope", "Public"))
        if alert.withdrawnAt != nil {
            root.addChild(XMLWriting.element("note", "该提示已撤回 (withdrawn)"))
            root.addChild(XMLWriting.element("references", "\(sender),\(identifier),\(sent)"))
        }
        let info = XMLWriting.element("info")
        info.addChild(XMLWriting.element("language", "zh-CN"))
        info.addChild(XMLWriting.element("category", capCategory(alert.topic)))
        info.addChild(XMLWriting.element("event", alert.topic.nameZh))
        info.addChild(XMLWriting.element("urgency", alert.urgency.rawValue))
        info.addChild(XMLWriting.element("severity", alert.severity.rawValue))
        info.addChild(XMLWriting.element("certainty", "Likely"))
        info.addChild(XMLWriting.element("effective", capTime(alert.validFrom)))
        info.addChild(XMLWriting.element("expires", capTime(alert.validUntil)))
        info.addChild(XMLWriting.element("senderName", names.unitName(alert.unitID)))
        info.addChild(XMLWriting.element("headline", alert.title))
        info.addChild(XMLWriting.element("description", alert.text))
        info.addChild(XMLWriting.element("web", "\(base)/alerts/\(alert.id.rawValue)"))
        for community in alert.communities {
            let area = XMLWriting.element("area")
            area.addChild(XMLWriting.element("areaDesc", names.placeName(community)))
            info.addChild(area)
        }
        root.addChild(info)
        return XMLWriting.document(root)
    }
}
