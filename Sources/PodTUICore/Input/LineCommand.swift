/// The commands of the `:` line, with their usage: read by the reducer (to run and
/// complete them) and by the input view (to hint them).
enum LineCommands {
    struct Entry: Sendable, Equatable {
        let name: String
        let usage: String
    }

    static let all: [Entry] = [
        Entry(name: "pods", usage: ":pods  the pod list"),
        Entry(name: "gpus", usage: ":gpus  GPU types, regions and availability"),
        Entry(name: "events", usage: ":events  status changes and action results"),
        Entry(name: "volumes", usage: ":volumes  persistent volumes: create, rename, resize, delete"),
        Entry(name: "credentials", usage: ":credentials  registry credentials: create, change, delete"),
        Entry(name: "timers", usage: ":timers  pause timers (T): x cancels one"),
        Entry(name: "new", usage: ":new [TEMPLATE]  the create form, from a saved template"),
        Entry(name: "budget", usage: ":budget DOLLARS_PER_HOUR | off  warn when the burn rate goes over"),
        Entry(name: "probe", usage: ":probe on|off  GPU use of running pods through your ssh"),
        Entry(name: "filter", usage: ":filter TEXT  same as /"),
        Entry(name: "sort", usage: ":sort COLUMN [asc|desc]"),
        Entry(name: "profile", usage: ":profile NAME  switch to a config profile"),
        Entry(name: "open", usage: ":open [PORT]  open the selected pod's web endpoint (or copy its URL)"),
        Entry(name: "ssh-config", usage: ":ssh-config  write a Host block for every running pod to ~/.ssh/config"),
        Entry(name: "help", usage: ":help  the keys"),
        Entry(name: "quit", usage: ":quit"),
    ]
}
