import FoundationEssentials
import PodAPI
import PodProbe

/// Port-forwards: `F` asks `REMOTE[:LOCAL]` on the input line (Tab offers the pod's exposed
/// ports), the runtime starts `ssh -N -L` as a background child and reports what became of
/// it; `:forwards` lists them and `x` stops one. All end when podtui does.
enum ForwardReducer {
    /// `F` on the selected pod (`Availability` has checked it is RUNNING and reachable).
    static func ask(_ state: inout AppState) {
        guard let pod = state.selectedPod else { return }
        let first = Forward.exposedPorts(pod).first.map(String.init) ?? ""
        state.nav.input = InputLine(kind: .forward(pod.id), text: first)
    }

    /// Tab on the line: the exposed port after the one typed (the first after the last).
    static func nextPort(_ state: AppState, podID: Int64, _ text: String) -> String {
        guard let pod = state.fleet.allPods.first(where: { $0.id == podID }) else { return text }
        let ports = Forward.exposedPorts(pod)
        guard !ports.isEmpty else { return text }
        let current = Int(text.split(separator: ":").first.map(String.init) ?? "")
        guard let current, let i = ports.firstIndex(of: current) else { return String(ports[0]) }
        return String(ports[(i + 1) % ports.count])
    }

    /// Enter on the line: the ports read, the pod checked again (it may have changed while
    /// the line was open), and the forward handed to the runtime.
    static func accept(_ state: inout AppState, podID: Int64, text: String) -> [Effect] {
        let typed = text.trimmed
        guard !typed.isEmpty else {
            state.say("No port forwarded", .info)
            return []
        }
        var ports: ForwardPorts
        switch ForwardPorts.parse(typed) {
        case .success(let parsed): ports = parsed
        case .failure(let failure):
            state.say("Not forwarded: \(failure.reason)", .error)
            return []
        }
        guard let pod = state.fleet.allPods.first(where: { $0.id == podID }) else {
            state.say("That pod is gone: nothing forwarded", .error)
            return []
        }
        let invocation: SSHInvocation
        switch PodLookup.invocation(for: pod) {
        case .success(let found): invocation = found
        case .failure(let failure):
            state.say("\(TextSafety.clean(pod.label)): \(failure.reason)", .error)
            return []
        }
        if ports.localGiven, let same = state.forwards.items.first(where: { $0.ports.local == ports.local }) {
            state.say("Local port \(ports.local) is taken: forward \(same.id) to \(TextSafety.clean(same.podLabel)) uses it (name another: REMOTE:LOCAL)", .error)
            return []
        }
        // Not named: start past the ports this session's forwards hold (ssh may not have
        // bound one yet, so the runtime's try-bind could not see it).
        if !ports.localGiven {
            let held = Set(state.forwards.items.map(\.ports.local))
            while held.contains(ports.local) && ports.local < 65_535 { ports.local += 1 }
        }
        let id = state.forwards.nextID
        state.forwards.nextID += 1
        state.forwards.items.append(Forward(id: id, podID: pod.id, podLabel: pod.label, ports: ports))
        state.say("Forwarding port \(ports.remote) of \(TextSafety.clean(pod.label))…", .info)
        return [.startForward(ForwardRequest(id: id, invocation: invocation, ports: ports))]
    }

    /// What the runtime says about forward `id`.
    static func event(_ state: inout AppState, _ id: Int, _ event: ForwardEvent) {
        guard let i = state.forwards.index(id) else { return }
        let forward = state.forwards.items[i]
        let pod = TextSafety.clean(forward.podLabel)
        switch event {
        case .started(let local):
            let asked = forward.ports.local
            state.forwards.items[i].ports.local = local
            let note = local == asked ? "" : " (\(asked) is taken)"
            state.say("Forwarding \(state.forwards.items[i].ports.localURL) to port \(forward.ports.remote) of \(pod)\(note) · :forwards lists it", .success)
        case .ready:
            if forward.phase == .starting { state.forwards.items[i].phase = .ready }
        case .ended(let why):
            state.forwards.items.remove(at: i)
            state.forwards.selected = max(0, min(state.forwards.selected, state.forwards.items.count - 1))
            let text = "Forward of port \(forward.ports.remote) of \(pod) ended" + (why.isEmpty ? "" : ": " + TextSafety.clean(state.settings.redactor.redact(why)))
            state.say(text, forward.phase == .stopping ? .info : .error)
            Reducer.record(&state, forward.podID, text, forward.phase == .stopping ? .good : .bad)
        }
    }

    /// `:forwards`.
    static func open(_ state: inout AppState) {
        state.nav.view = .forwards
        state.forwards.selected = max(0, min(state.forwards.selected, state.forwards.items.count - 1))
    }

    /// A key in `:forwards`.
    static func perform(_ state: inout AppState, _ command: Command) -> [Effect] {
        let count = state.forwards.items.count
        switch command {
        case .back: state.nav.view = .pods
        case .moveUp: state.forwards.selected = max(0, state.forwards.selected - 1)
        case .moveDown: state.forwards.selected = min(max(0, count - 1), state.forwards.selected + 1)
        case .command: state.nav.input = InputLine(kind: .command)
        case .help: state.nav.overlay = .help
        case .quit: state.shouldQuit = true
        case .stopForward:
            guard state.forwards.items.indices.contains(state.forwards.selected) else { return [] }
            let forward = state.forwards.items[state.forwards.selected]
            guard forward.phase != .stopping else { return [] }
            state.forwards.items[state.forwards.selected].phase = .stopping
            state.say("Stopping the forward of \(forward.ports.localURL)…", .info)
            return [.stopForward(forward.id)]
        default: break
        }
        return []
    }
}
