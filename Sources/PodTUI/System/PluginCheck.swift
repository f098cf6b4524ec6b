import PodTUICore
import PodProbeRunner

/// What only the runtime can check of the plugins (the settings reader does no I/O): each
/// plugin's program is an executable file (on PATH, or at its path).
public enum PluginCheck {
    /// `settings` without the plugins whose program cannot be run, one problem line each.
    public static func checked(_ settings: Settings, exists: (String) -> Bool = { ProgramPath.exists($0) }) -> Settings {
        var out = settings
        out.plugins = settings.plugins.filter { plugin in
            guard let program = plugin.command.first else { return false }
            if exists(program) { return true }
            let at = plugin.line.map { " line \($0)" } ?? ""
            out.problems.append("config.yaml\(at): plugin \(TextSafety.clean(plugin.name)): \(TextSafety.clean(program)) is not an executable file"
                                + (program.contains("/") ? "" : " on PATH") + "; this plugin is not loaded")
            return false
        }
        return out
    }
}
