import Foundation
import MinyiCore

extension LoginModel {
    func render(_ web: WebRequest) -> HTML {
        Layout.page(
            web, title: web.t("民警登录", "Staff login"),
            """
            <h1>\(web.t("民警登录", "Staff login"))</h1>
            <form method="post" action="/staff/login" class="card">\(web.csrfField)
            <input type="hidden" name="next" value="\(next)">
            \(Layout.errorBox(error))
            <label for="f-username">\(web.t("用户名", "Username"))</label>
            <input type="text" id="f-username" name="username" value="\(username)" autocomplete="username" autocapitalize="none">
            <label for="f-password">\(web.t("密码", "Password"))</label>
            <input type="password" id="f-password" name="password" autocomplete="current-password">
            <button type="submit">\(web.t("登录", "Log in"))</button>
            </form>
            """)
    }
}
