import Foundation
import MinyiCore
import MinyiStorage

/// The form for a new item, used by residents (web) and by staff registering other channels. Residents choose a topic
/// in plain words (mapped to a category) and are asked for an ID number only on a topic about their papers; staff
/// choose the category itself.
struct SubmissionForm {
    var web: WebRequest
    var catalogue: WebController.Catalogue
    var sheet: FormSheet
    /// Staff register other channels and echo cards.
    var staff: Bool
    /// The category suggester's proposals for the typed text (staff only).
    var categoryHint: HTML = .empty

    init(web: WebRequest, catalogue: WebController.Catalogue, values: Form, errors: [String: String], staff: Bool) {
        self.web = web
        self.catalogue = catalogue
        self.sheet = FormSheet(web, values: values, errors: errors)
        self.staff = staff
    }

    var topics: [ResidentTopic] { ResidentTopic.offered(for: catalogue.categories.map(\.code)) }

    var placeSelect: HTML {
        let current = sheet.values.raw("place")
        let groups: [HTML] = catalogue.stations.map { station in
            let options: [HTML] = catalogue.children(of: station).filter { $0.kind == .office }.flatMap { office in
                catalogue.children(of: office).filter { $0.kind == .community }.map { community -> HTML in
                    """
                    <option value="\(community.id.rawValue)"\(attr: "selected", when: community.id.rawValue == current)>\(office.name) · \
                    \(community.name)</option>
                    """
                }
            }
            return "<optgroup label=\"\(station.name)\">\(options)</optgroup>"
        }
        return """
            <select id="f-place" name="place"\(sheet.described("place"))><option \
            value="">\(web.t("请选择社区/村", "Choose your community"))</option>\(groups)</select>
            """
    }

    /// Residents: the topic; staff: the category, with the suggester's hint.
    var subject: HTML {
        if staff {
            let categories = catalogue.categories.map { (value: $0.code.rawValue, label: web.lang == .zh ? $0.nameZh : $0.nameEn) }
            return sheet.field(
                "category", label: web.t("类别", "Category"),
                sheet.select("category", options: categories, placeholder: web.t("请选择类别", "Choose a category")) + categoryHint)
        }
        let options = topics.map { (value: $0.code, label: web.lang == .zh ? $0.nameZh : $0.nameEn) }
        return sheet.field(
            "topic", label: web.t("是关于什么的？", "What is it about?"),
            sheet.select("topic", options: options, placeholder: web.t("请选择", "Choose one")))
    }

    /// The ID number: staff may record it; a resident is asked only on a topic about their papers.
    var idNumberField: HTML {
        let field = sheet.field(
            "id_number", label: web.t("身份证号", "ID number"), sheet.text("id_number", extra: " autocomplete=\"off\""))
        if staff { return field }
        let open =
            sheet.errors["id_number"] != nil || sheet.values["id_number"] != nil
            || ResidentTopic.topic(sheet.values.raw("topic"))?.asksForIDNumber == true
        return """
            <details class="extra"\(attr: "open", when: open)><summary>\(web.t("办户口、身份证、居住证的，可填写身份证号（选填）",
                "About household registration or an ID card? You may give your ID number (optional)"))</summary>\(field)</details>
            """
    }

    func render(action: String) -> HTML {
        let suggest = web.t("按内容建议类别", "Suggest a category from the text")
        let kinds = ItemKind.allCases.map { (value: $0.rawValue, label: web.lang == .zh ? $0.nameZh : $0.nameEn) }
        var staffPart: HTML = .empty
        if staff {
            let channels = Channel.allCases.filter { $0 != .web && $0 != .callback }.map {
                (value: $0.rawValue, label: web.lang == .zh ? $0.nameZh : $0.nameEn)
            }
            staffPart = """
                <fieldset><legend>\(web.t("来源", "Channel"))</legend>
                \(sheet.field("channel", label: web.t("渠道", "Channel"), sheet.select("channel", options: channels, placeholder: web.t("请选择渠道",
                    "Choose the channel"))))
                \(sheet.field("echo_card", label: web.t("回音卡号", "Echo card number"), hint: web.t("渠道为回音卡时必填，如 KFQ-H000123",
                    "required for echo cards, e.g. KFQ-H000123"), sheet.text("echo_card", extra: " autocomplete=\"off\"")))
                </fieldset>
                """
        }
        let key = sheet.values["_key"] ?? SQLAuthStore.newToken()
        return """
            <form method="post" action="\(action)" class="card" novalidate>
            \(web.csrfField)<input type="hidden" name="_key" value="\(key)">
            \(sheet.summary)
            \(staffPart)
            \(sheet.field("kind", label: web.t("您想", "You want to"), sheet.select("kind", options: kinds, placeholder: web.t("请选择",
                "Choose one"))))
            \(subject)
            \(sheet.field("place", label: web.t("在哪个社区/村", "Where (community)"), placeSelect))
            \(sheet.field("address", label: web.t("详细地址", "Address"), hint: web.t("选填", "optional"), sheet.text("address")))
            \(sheet.field("text", label: web.t("您要反映的内容", "What you want to tell the police"),
                hint: web.t("最多 \(Submission.maxTextLength) 字", "up to \(Submission.maxTextLength) characters"),
                sheet.textarea("text", rows: 6, extra: " maxlength=\"\(Submission.maxTextLength)\"")))
            <fieldset><legend>\(web.t("联系方式（选填）", "Contact (optional)"))</legend>
            <p class="hint">\(web.t("留下电话，民警答复后会回访您是否满意。联系方式只对承办和回访民警可见。",
                "Leave a phone number and we will call back to ask whether you are satisfied. "
                    + "Only the officers handling and calling back can see it."))</p>
            \(sheet.checkbox("anonymous", label: web.t("匿名反映（不留联系方式）", "Stay anonymous (no contact details)")))
            \(sheet.field("name", label: web.t("姓名", "Name"), sheet.text("name", extra: " autocomplete=\"name\"")))
            \(sheet.field("phone", label: web.t("手机号码", "Mobile number"), sheet.text("phone", type: "tel",
                extra: " autocomplete=\"tel\" inputmode=\"numeric\"")))
            \(idNumberField)
            </fieldset>
            <button type="submit">\(staff ? web.t("登记", "Register") : web.t("提交", "Submit"))</button>
            \(staff ? "<button type=\"submit\" name=\"_suggest\" value=\"1\" class=\"secondary\">\(suggest)</button>" as HTML : .empty)
            </form>
            """
    }

    /// The values and errors to show the form again with, in the page's language. A form whose key was already used
    /// for other content (it was submitted, then changed) gets a new key, and the error shows beside the text.
    static func showing(_ error: any Error, in form: Form, _ web: WebRequest) -> (values: Form, errors: [String: String]) {
        let errors: [ValidationError]
        switch error {
        case let error as ValidationErrors: errors = error.errors
        case let error as ValidationError: errors = [error]
        default: errors = []
        }
        if errors.contains(where: { $0.field == "Idempotency-Key" }) {
            let message = web.t(
                "这张表单已经提交过另一份内容。请核对后再提交一次，将作为新的事项登记。",
                "This form was already sent with other content. Check it and send it again: it will be registered as a new item.")
            return (form.removing("_key"), ["text": message])
        }
        // The store names the category; a resident chose a topic.
        let fields = ValidationErrors(errors).byField.reduce(into: [String: String]()) { result, pair in
            let field = pair.key == "category" && !form.has("category") ? "topic" : pair.key
            result[field] = web.localized(pair.value)
        }
        return (form, fields)
    }

    /// Builds the submission from the form, checking every field and naming each faulty one. Residents choose a topic:
    /// "something else" is filed under `otherCategory`'s choice for the text.
    static func submission(
        from form: Form, channel: Channel, otherCategory: (String) -> MinyiCore.Category.Code? = { _ in nil }
    ) throws(ValidationErrors) -> Submission {
        var check = Validator()
        form.checkEncoding(into: &check)
        let kind = form["kind"].flatMap(ItemKind.init(rawValue:))
        if kind == nil { check.fail("kind", "请选择您想做什么 (choose what you want to do)") }
        var category: MinyiCore.Category.Code?
        if channel == .web {
            if let topic = form["topic"].flatMap(ResidentTopic.topic) {
                category = topic.category ?? otherCategory(form.raw("text"))
            } else if let code = form["category"] {
                // A form built elsewhere may name the bureau's category itself.
                category = .init(code)
            } else {
                check.fail("topic", "请选择是关于什么的 (choose what it is about)")
            }
        } else if let code = form["category"] {
            category = .init(code)
        } else {
            check.fail("category", "请选择类别 (choose a category)")
        }
        let place = form["place"]
        if place == nil { check.fail("place", "请选择社区/村 (choose your community)") }
        _ = check.check { () throws(ValidationError) in try Submission.checkText(form.raw("text")) }
        check.check { () throws(ValidationError) in try Submission.checkAddress(form["address"]) }
        var contact: Contact?
        if !form.has("anonymous") {
            // Each part of the contact on its own, so that a bad phone and a bad ID number are both named.
            let name = check.check { () throws(ValidationError) in try Contact.validated(name: form["name"], phone: nil, idNumber: nil) }
            let phone = check.check { () throws(ValidationError) in try Contact.validated(name: nil, phone: form["phone"], idNumber: nil) }
            let id = check.check { () throws(ValidationError) in try Contact.validated(name: nil, phone: nil, idNumber: form["id_number"]) }
            let parts = Contact(name: name??.name, phone: phone??.phone, idNumber: id??.idNumber)
            contact = parts.isEmpty ? nil : parts
        }
        let echoCard = channel == .echoCard ? form["echo_card"].map(TrackingNumber.normalise) : nil
        if channel == .echoCard, echoCard == nil { check.fail("echo_card", "回音卡渠道需要填写卡号 (echo card number required)") }
        var errors = check.errors.map { error in
            ValidationError.invalid(field: error.field.replacingOccurrences(of: "contact.", with: ""), message: error.message)
        }
        guard errors.isEmpty, let kind, let category, let place else { throw ValidationErrors(errors) }
        do {
            return try Submission(
                kind: kind, category: category, channel: channel, text: form.raw("text"), placeID: .init(place), address: form["address"],
                contact: contact, echoCard: echoCard)
        } catch {
            errors.append(error)
            throw ValidationErrors(errors)
        }
    }
}
