import Foundation
import MinyiCore

/// A form's fields written with what was typed and chosen, and beside each faulty field what is wrong with it: a form
/// that comes back shows every error at once and loses nothing.
struct FormSheet: Sendable {
    var web: WebRequest
    /// What was sent, shown again.
    var values: Form
    /// What is wrong, by field name, in the page's language.
    var errors: [String: String]
    /// Prefixes element ids, so that several forms on one page keep them apart.
    var prefix: String

    init(_ web: WebRequest, values: Form = Form(), errors: [String: String] = [:], prefix: String = "f-") {
        self.web = web
        self.values = values
        self.errors = errors
        self.prefix = prefix
    }

    /// The form sent and what was wrong with it, the messages in the page's language.
    init(_ web: WebRequest, sent: Form, report: ErrorReport, prefix: String = "f-") {
        self.init(web, values: sent, errors: report.fields.mapValues { web.localized($0) }, prefix: prefix)
    }

    /// The line above a form that came back: how many fields need correcting, and that nothing typed was lost.
    var summary: HTML {
        guard !errors.isEmpty else { return .empty }
        return Layout.errorBox(
            web.t(
                "有 \(errors.count) 处需要更正，已在下面标出；已填写的内容都保留着。",
                "\(errors.count == 1 ? "One field needs" : "\(errors.count) fields need") correcting, marked below; "
                    + "everything you typed is kept."))
    }

    func id(_ name: String) -> String { prefix + name.replacingOccurrences(of: ".", with: "-") }

    /// A labelled field: the control, a hint, and the error beside it.
    func field(_ name: String, label: String, hint: String? = nil, _ control: HTML) -> HTML {
        let error = errors[name]
        let hintHTML: HTML = hint.map { " <span class=\"hint\">\($0)</span>" } ?? .empty
        let errorHTML: HTML = error.map { "<p class=\"msg\" id=\"\(id(name))-error\">\($0)</p>" } ?? .empty
        return """
            <div class="\(error == nil ? "field" : "field field-error")"><label for="\(id(name))">\(label)\(hintHTML)</label>\
            \(control)\(errorHTML)</div>
            """
    }

    /// `aria-invalid` and the link to the error, on a faulty control.
    func described(_ name: String) -> HTML {
        errors[name] == nil ? .empty : " aria-invalid=\"true\" aria-describedby=\"\(id(name))-error\""
    }

    func text(_ name: String, type: String = "text", value: String? = nil, extra: HTML = .empty) -> HTML {
        let shown = values.has(name) ? values.raw(name) : (value ?? "")
        return "<input type=\"\(type)\" id=\"\(id(name))\" name=\"\(name)\" value=\"\(shown)\"\(described(name))\(extra)>"
    }

    func textarea(_ name: String, rows: Int = 2, value: String? = nil, extra: HTML = .empty) -> HTML {
        let shown = values.has(name) ? values.raw(name) : (value ?? "")
        return "<textarea id=\"\(id(name))\" name=\"\(name)\" rows=\"\(rows)\"\(described(name))\(extra)>\(shown)</textarea>"
    }

    /// A choice; with a placeholder nothing is chosen in advance (unless `chosen` says what to propose).
    func select(
        _ name: String, options: [(value: String, label: String)], placeholder: String?, chosen: String? = nil, required: Bool = false
    ) -> HTML {
        let current = values.has(name) ? values.raw(name) : (chosen ?? "")
        let rendered: [HTML] = options.map {
            "<option value=\"\($0.value)\"\(attr: "selected", when: $0.value == current)>\($0.label)</option>"
        }
        let empty: HTML = placeholder.map { "<option value=\"\">\($0)</option>" } ?? .empty
        return """
            <select id="\(id(name))" name="\(name)"\(attr: "required", when: required)\(described(name))>\(empty)\(rendered)</select>
            """
    }

    func checkbox(_ name: String, label: String, checked: Bool = false) -> HTML {
        let on = values.fields.isEmpty ? checked : values.has(name)
        return """
            <label class="check"><input type="checkbox" id="\(id(name))" name="\(name)" value="1"\(attr: "checked", when: on)> \(label)</label>
            """
    }
}
