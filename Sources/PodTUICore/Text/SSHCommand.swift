/// Turns the API's `sshCmd` ("ssh root@host -p 30003") into argv for the `s` key.
public enum SSHCommand {
    /// The words of the command, with `ssh` first; nil when it is not an ssh command or
    /// holds anything a shell would interpret (it is run without a shell, so those would
    /// not work as written and could be hostile).
    public static func arguments(_ command: String) -> [String]? {
        let words = command.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let first = words.first, first == "ssh" || first.hasSuffix("/ssh") else { return nil }
        let forbidden = Set(";|&$`<>()\\\"'\n\r")
        guard words.allSatisfy({ !$0.contains(where: forbidden.contains) && !$0.unicodeScalars.contains(where: TextSafety.isUnsafe) }) else { return nil }
        return ["ssh"] + words.dropFirst()
    }
}
