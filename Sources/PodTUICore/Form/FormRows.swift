import PodAPI

/// One environment variable row. `secret` masks the value on screen and in the command line.
public struct EnvRow: Sendable, Hashable {
    public var key: String
    public var value: String
    public var secret: Bool
    public init(key: String = "", value: String = "", secret: Bool = false) { self.key = key; self.value = value; self.secret = secret }
}

/// One exposed port row.
public struct PortRow: Sendable, Hashable {
    public var port: String
    public var proto: String
    public init(port: String = "", proto: String = "TCP") { self.port = port; self.proto = proto }
}

/// One existing persistent volume to attach.
public struct VolumeRow: Sendable, Hashable {
    public var volumeID: String
    public var mountPath: String
    public var backup: Bool
    public init(volumeID: String = "", mountPath: String = "", backup: Bool = false) {
        self.volumeID = volumeID; self.mountPath = mountPath; self.backup = backup
    }
}
