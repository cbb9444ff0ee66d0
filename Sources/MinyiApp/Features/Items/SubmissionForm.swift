import Foundation
import MinyiCore
import MinyiStorage

/// The form for a new item, used by residents (web) and by staff registering other channels.
struct SubmissionForm {
    var web: WebRequest
    var catalogue: WebController.Catalogue
    var values: Form
    var errors: [String: String]
    /// Staff register other channels and echo cards.
    var staff: Bool
    /// The category suggester's proposals for the typed text (staff only).
    var categoryHint: HTML = .empty

    func field(_ name: String, label: String, hint: String? = nil, _ control: HTML) -> HTML {
        let error = errors[name]
        let hintHTML: HTML = hint.map { " <span class=\"hint\">\($0)</span>" } ?? .empty
        let errorHTML: HTML = error.map { "<p class=\"msg\" id=\"\(name)-error\">\($0)</p>" } ?? .empty
        return
            """
                <div class=\"\(error == nil ? "field" : "field field-error")\"><label \
                for=\"f-\(name)\">\(label)\(hintHTML)</label>\(control)\(errorHTML)</div>
                """
    }

    func described(_ name: String) -> HTML {
        errors[name] == nil ? .empty : " aria-invalid=\"true\" aria-describedby=\"\(name)-error\""
    }

    func select(_ name: String, options: [(value: String, label: String)], placeholder: String) -> HTML {
        let current = values.raw(name)
        let rendered: [HTML] = options.map { "<option value=\"\($0.value)\"\(attr: "selected", when: $0.value == current)>\($0.label)</option>" }
        return "<select id=\"f-\(name)\" name=\"\(name)\"\(described(name))><option value=\"\">\(placeholder)</option>\(rendered)</select>"
    }

    func text(_ name: String, type: String = "text", extra: HTML = .empty) -> HTML {
        "<input type=\"\(type)\" id=\"f-\(name)\" name=\"\(name)\" value=\"\(values.raw(name))\"\(described(name))\(extra)>"
    }

    var placeSelect: HTML {
        let current = values.raw("place")
        let groups: [HTML] = catalogue.stations.map { station in
            let options: [HTML] = catalogue.children(of: station).filter { $0.kind == .office }.flatMap { office in
                catalogue.children(of: office).filter { $0.kind == .community }.map { community -> HTML in
                    """
                        <option value=\"\(community.id.rawValue)\"\(attr: "selected", when: community.id.rawValue == current)>\(office.name) · \
                        \(community.name)</option>
                        """
                }
            }
            return "<optgroup label=\"\(station.name)\">\(options)</optgroup>"
        }
        return
            """
                <select id=\"f-place\" name=\"place\"\(described("place"))><option \
                value=\"\">\(web.t("请选择社区/村", "Choose your community"))</option>\(groups)</select>
                """
    }

    func render(action: String) -> HTML {
        let suggest = web.t("按内容建议类别", "Suggest a category from the text")
        let kinds = ItemKind.allCases.map { (value: $0.rawValue, label: web.lang == .zh ? $0.nameZh : $0.nameEn) }
        let categories = catalogue.categories.map { (value: $0.code.rawValue, label: web.lang == .zh ? $0.nameZh : $0.nameEn) }
        var staffPart: HTML = .empty
        if staff {
            let channels = Channel.allCases.filter { $0 != .web && $0 != .callback }.map {
                (value: $0.rawValue, label: web.lang == .zh ? $0.nameZh : $0.nameEn)
            }
            staffPart = """
                <fieldset><legend>\(web.t("来源", "Channel"))</legend>
                \(field("channel", label: web.t("渠道", "Channel"), select("channel", options: channels, placeholder: web.t("请选择渠道",
                    "Choose the channel"))))
                \(field("echo_card", label: web.t("回音卡号", "Echo card number"), hint: web.t("渠道为回音卡时必填，如 KFQ-H000123",
                    "required for echo cards, e.g. KFQ-H000123"), text("echo_card", extra: " autocomplete=\"off\"")))
                </fieldset>
                """
        }
        let anonymous = values.has("anonymous")
        let key = values["_key"] ?? SQLAuthStore.newToken()
        return """
            <form method="post" action="\(action)" class="card" novalidate>
            \(web.csrfField)<input type="hidden" name="_key" value="\(key)">
            \(Layout.errorBox(errors.isEmpty ? nil : web.t("请更正下面标出的内容，已填写的内容都保留着。",
                "Please correct the fields marked below; everything you typed is kept.")))
            \(staffPart)
            \(field("kind", label: web.t("类型", "Kind"), select("kind", options: kinds, placeholder: web.t("请选择类型", "Choose a kind"))))
            \(field("category", label: web.t("类别", "Category"), select("category", options: categories, placeholder: web.t("请选择类别",
                "Choose a category")) + categoryHint))
            \(field("place", label: web.t("地点（社区/村）", "Place (community)"), placeSelect))
            \(field("address", label: web.t("详细地址", "Address"), hint: web.t("选填", "optional"), text("address")))
            \(field("text", label: web.t("您要反映的内容", "What you want to tell the police"),
                hint: web.t("最多 \(Submission.maxTextLength) 字", "up to \(Submission.maxTextLength) characters"),
                "<textarea id=\"f-text\" name=\"text\" maxlength=\"\(Submission.maxTextLength)\"\(described("text"))>"
                    + "\(values.raw("text"))</textarea>"))
            <fieldset><legend>\(web.t("联系方式（选填）", "Contact (optional)"))</legend>
            <p class="hint">\(web.t("留下电话，民警答复后会回访您是否满意。联系方式只对承办和回访民警可见。",
                "Leave a phone number and we will call back to ask whether you are satisfied. "
                    + "Only the officers handling and calling back can see it."))</p>
            <label class="check">\
            <input type="checkbox" name="anonymous" value="1"\(attr: "checked", when: anonymous)> \
            \(web.t("匿名反映（不留联系方式）", "Stay anonymous (no contact details)"))</label>
            \(field("name", label: web.t("姓名", "Name"), text("name", extra: " autocomplete=\"name\"")))
            \(field("phone", label: web.t("手机号码", "Mobile number"), text("phone", type: "tel",
                extra: " autocomplete=\"tel\" inputmode=\"numeric\"")))
            \(field("id_number", label: web.t("身份证号", "ID number"), text("id_number", extra: " autocomplete=\"off\"")))
            </fieldset>
            <button type="submit">\(staff ? web.t("登记", "Register") : web.t("提交", "Submit"))</button>
            \(staff ? "<button type=\"submit\" name=\"_suggest\" value=\"1\" class=\"secondary\">\(suggest)</button>" as HTML : .empty)
            </form>
            """
    }

    /// The values and errors to show the form again with. A form whose key was already used for other content (it
    /// was submitted, then changed) gets a new key, and the error shows beside the text.
    static func showing(_ error: ValidationError, in form: Form, _ web: WebRequest) -> (values: Form, errors: [String: String]) {
        guard error.field == "Idempotency-Key" else { return (form, [error.field: web.localized(error.description)]) }
        let message = web.t(
            "这张表单已经提交过另一份内容。请核对后再提交一次，将作为新的事项登记。",
            "This form was already sent with other content. Check it and send it again: it will be registered as a new item.")
        return (form.removing("_key"), ["text": message])
    }

    /// Builds the submission from the form; errors name the form's fields.
    static func submission(from form: Form, channel: Channel) throws(ValidationError) -> Submission {
        try form.checkEncoding()
        guard let kindRaw = form["kind"], let kind = ItemKind(rawValue: kindRaw) else {
            throw .invalid(field: "kind", message: "请选择类型 (choose a kind)")
        }
        guard let category = form["category"] else { throw .invalid(field: "category", message: "请选择类别 (choose a category)") }
        guard let place = form["place"] else { throw .invalid(field: "place", message: "请选择社区/村 (choose your community)") }
        let contact: Contact?
        if form.has("anonymous") {
            contact = nil
        } else {
            do {
                contact = try Contact.validated(name: form["name"], phone: form["phone"], idNumber: form["id_number"])
            } catch {
                switch error {
                case .invalid(let field, let message): throw .invalid(field: field.replacingOccurrences(of: "contact.", with: ""), message: message)
                }
            }
        }
        return try Submission(
            kind: kind, category: .init(category), channel: channel, text: form.raw("text"), placeID: .init(place), address: form["address"],
            contact: contact, echoCard: channel == .echoCard ? form["echo_card"].map(TrackingNumber.normalise) : nil)
    }
}
