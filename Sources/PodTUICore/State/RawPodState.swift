import PodAPI

/// The pod shown in the raw view (`y`): its JSON as the API sent it, once it has come, and
/// the lines the view draws and `c` copies.
///
/// The lines are made once per reply (`load`) and per `e` (`show`), masked or not and with
/// the state's secrets redacted, never per frame. Bounded: a body over `RawJSON.maxBytes`
/// (4 MiB) is not parsed, at most `maxLines` lines are kept, each cut at `maxLineLength`
/// characters.
public struct RawPodState: Sendable, Equatable {
    public var podID: Int64
    /// The pod's name or id, for the title.
    public var label: String
    /// The `data` of `GET /v2/pods/{id}`, parsed only to be indented; nil while loading.
    public private(set) var json: RawJSON?
    /// Why it could not be shown (the request failed, or the reply was not JSON).
    public var error: String?
    /// What the view draws: `json`'s lines, masked when `masked`, redacted.
    public private(set) var lines: [String] = []
    /// Whether `lines` has secrets masked (until `e`).
    public private(set) var masked = true
    /// Lines past `maxLines`, left out.
    public private(set) var omitted = 0

    /// The most lines kept (a pod is a few hundred).
    public static let maxLines = 20_000
    /// The most characters kept of one line (a long string value is one line).
    public static let maxLineLength = 4_000

    public init(podID: Int64, label: String) { self.podID = podID; self.label = label }

    /// Takes a reply's body: the pod is the envelope's `data` (the whole body if there is no
    /// envelope). Sets `error` when it cannot be shown.
    public mutating func load(_ body: String, mask: Bool, redactor: Redactor) {
        guard body.utf8.count <= RawJSON.maxBytes else {
            json = nil
            lines = []
            error = "The reply is too large to show (\(body.utf8.count / 1_048_576) MiB; the raw view shows up to \(RawJSON.maxBytes / 1_048_576) MiB)"
            return
        }
        let parsed = RawJSON.parse(body)
        json = parsed?["data"] ?? parsed
        if json == nil { error = "The reply is not JSON (or nested deeper than \(RawJSON.maxDepth) levels)" }
        show(mask: mask, redactor: redactor)
    }

    /// Makes `lines` again: `e` toggled the mask, or the secrets changed.
    public mutating func show(mask: Bool, redactor: Redactor) {
        masked = mask
        guard let json else { lines = []; omitted = 0; return }
        let all = json.lines(mask: mask)
        omitted = max(0, all.count - Self.maxLines)
        lines = all.prefix(Self.maxLines).map { line in
            // Redacted before it is cut, so a cut never leaves part of a secret.
            let redacted = redactor.redact(line)
            return redacted.count > Self.maxLineLength ? String(redacted.prefix(Self.maxLineLength)) + "…" : redacted
        }
    }
}
