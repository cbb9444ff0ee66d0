import Foundation

/// Why an actor may not do something.
public enum AccessError: Error, Hashable, Sendable, CustomStringConvertible {
    case missingRole(needed: Set<Role>)
    case outsideJurisdiction(String)

    public var description: String {
        switch self {
        case .missingRole(let needed):
            "需要以下角色之一：" + needed.sorted().map(\.nameZh).joined(separator: "、") + " (requires role: "
                + needed.sorted().map(\.rawValue).joined(separator: ", ") + ")"
        case .outsideJurisdiction(let what): "\(what) 不在您的辖区内 (outside your jurisdiction)"
        }
    }
}

/// Who may do what to which item.
public enum Access {
    /// Checks that `actor` may give `command` to an item with these paths.
    public static func authorize(_ command: ItemCommand.Name, by actor: Actor, number: String, placePath: String, assignedPath: String?)
        throws(AccessError)
    {
        guard actor.officer.hasAny(command.roles) else { throw .missingRole(needed: command.roles) }
        if command.isUnitWork {
            guard actor.handles(assignedPath: assignedPath) else { throw .outsideJurisdiction("事项 \(number)") }
        } else {
            guard actor.sees(placePath: placePath, assignedPath: assignedPath) else { throw .outsideJurisdiction("事项 \(number)") }
        }
    }

    /// Checks that `actor` holds `permission` (see `Permission`: the roles, and for bureau-wide acts the bureau level).
    public static func require(_ permission: Permission, of actor: Actor) throws(AccessError) {
        if !permission.roles.isEmpty { try require(permission.roles, of: actor) }
        guard !permission.isBureauWide || actor.isBureauWide else { throw .outsideJurisdiction("全局设置 (bureau-wide settings)") }
    }

    /// The steps `actor` may take now on an item in `status` placed at `placePath` and assigned to `assignedPath`: the
    /// lifecycle allows them from the status, and the officer's roles and jurisdiction allow them to this officer.
    /// The item page shows a form for each, and the API lists them as `allowed_commands`.
    public static func steps(
        for actor: Actor, status: ItemStatus, number: String, placePath: String, assignedPath: String?
    ) -> [ItemCommand.Name] {
        ItemCommand.Name.allCases.filter { name in
            guard name != .overdue, Lifecycle.canApply(name, to: status) else { return false }
            do {
                try authorize(name, by: actor, number: number, placePath: placePath, assignedPath: assignedPath)
                return true
            } catch {
                return false
            }
        }
    }

    /// Checks that `actor` has one of `roles`.
    public static func require(_ roles: Set<Role>, of actor: Actor) throws(AccessError) {
        guard actor.officer.hasAny(roles) else { throw .missingRole(needed: roles) }
    }
}
