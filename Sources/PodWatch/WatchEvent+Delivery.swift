import FoundationEssentials
import PodAPI

extension WatchEvent {
    /// The webhook's body: `{"event": E, "pod": {"id", "name", "status"} or null, "text": …,
    /// "time": ISO-8601}`. `text` alone makes it a valid Slack or Mattermost incoming-webhook
    /// body (both ignore the other fields).
    public func webhookBody() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(Body(self)))) ?? Array(#"{"event":"\#(kind.rawValue)","pod":null,"text":"?","time":null}"#.utf8)
    }

    private struct Body: Encodable {
        var event: WatchEvent
        init(_ event: WatchEvent) { self.event = event }
        enum Keys: String, CodingKey { case event, pod, text, time }
        enum PodKeys: String, CodingKey { case id, name, status }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(event.kind.rawValue, forKey: .event)
            if let pod = event.pod {
                var p = c.nestedContainer(keyedBy: PodKeys.self, forKey: .pod)
                try p.encode(pod.id, forKey: .id)
                if let name = pod.name { try p.encode(name, forKey: .name) } else { try p.encodeNil(forKey: .name) }
                try p.encode(pod.status, forKey: .status)
            } else {
                try c.encodeNil(forKey: .pod)
            }
            try c.encode(event.text, forKey: .text)
            try c.encode(Timestamp.iso8601(event.time), forKey: .time)
        }
    }

    /// An exec hook's variables: `PODTUI_EVENT`, `POD_ID`, `POD_NAME`, `POD_STATUS` (empty
    /// for a fleet event), `PODTUI_TEXT`, `PODTUI_TIME`.
    public var hookEnvironment: [String: String] {
        [
            "PODTUI_EVENT": kind.rawValue,
            "POD_ID": pod.map { String($0.id) } ?? "",
            "POD_NAME": pod?.name ?? "",
            "POD_STATUS": pod?.status ?? "",
            "PODTUI_TEXT": text,
            "PODTUI_TIME": Timestamp.iso8601(time),
        ]
    }
}
