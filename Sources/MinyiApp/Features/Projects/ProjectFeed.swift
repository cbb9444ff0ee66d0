import Foundation
import FoundationXML
import MinyiCore

/// The projects' updates as an Atom feed (RFC 4287), written with Foundation's XML document so that every text and
/// attribute is escaped by the writer: residents and anyone can follow the delivery in a feed reader.
enum ProjectFeed {
    static func atom(
        title: String, id: String, selfPath: String, alternatePath: String, updates: [ProjectUpdate], projects: [YearProject.ID: YearProject],
        unitName: (PoliceUnit.ID) -> String, now: Date
    ) -> Data {
        let feed = XMLElement(name: "feed")
        XMLWriting.setNamespace("http://www.w3.org/2005/Atom", on: feed)
        feed.addChild(XMLElement(name: "title", stringValue: title))
        feed.addChild(XMLElement(name: "id", stringValue: id))
        feed.addChild(XMLElement(name: "updated", stringValue: timestamp(updates.first?.at ?? now)))
        feed.addChild(link(selfPath, rel: "self", type: "application/atom+xml"))
        feed.addChild(link(alternatePath, rel: "alternate", type: "text/html"))
        let author = XMLElement(name: "author")
        author.addChild(XMLElement(name: "name", stringValue: "民意警务 Minyi"))
        feed.addChild(author)
        for update in updates {
            guard let project = projects[update.projectID] else { continue }
            let entry = XMLElement(name: "entry")
            entry.addChild(XMLElement(name: "title", stringValue: "\(project.title)：\(update.progress)% \(update.status.nameZh)"))
            entry.addChild(XMLElement(name: "id", stringValue: "urn:minyi:project:\(project.id.rawValue):update:\(update.seq)"))
            entry.addChild(XMLElement(name: "updated", stringValue: timestamp(update.at)))
            entry.addChild(link("/projects/\(project.id.rawValue)", rel: "alternate", type: "text/html"))
            let entryAuthor = XMLElement(name: "author")
            entryAuthor.addChild(XMLElement(name: "name", stringValue: unitName(project.unitID)))
            entry.addChild(entryAuthor)
            let text = update.text + (update.photoCaption.map { "\n图片：\($0)" } ?? "")
            let content = XMLElement(name: "content", stringValue: text)
            if let type = XMLNode.attribute(withName: "type", stringValue: "text") as? XMLNode { content.addAttribute(type) }
            entry.addChild(content)
            feed.addChild(entry)
        }
        return XMLWriting.document(feed)
    }

    static func link(_ href: String, rel: String, type: String) -> XMLElement { XMLWriting.atomLink(href, rel: rel, type: type) }

    static func timestamp(_ date: Date) -> String { XMLWriting.timestamp(date) }
}
