import FoundationEssentials
import PodAPI

/// The small form over `:volumes` and `:credentials`: create a volume or credential, rename
/// or resize a volume, change a credential. Values stay as typed; a refusal (local or the
/// server's) keeps them and names the field.
public struct StorageEditor: Sendable, Equatable {
    /// What the form is for.
    public enum Purpose: Sendable, Equatable {
        case newVolume
        case renameVolume(Int64)
        case resizeVolume(Int64)
        /// `forPodForm`: opened from the create form's credential picker; the new id goes
        /// back into that form.
        case newCredential(forPodForm: Bool)
        case editCredential(Int64)
    }

    /// One field.
    public struct Field: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            case text
            case number
            /// Shown as dots, never as typed.
            case secret
            /// One of these, changed with Space or an arrow.
            case choice([String])
        }
        /// The request field it fills (`name`, `storageType`, `sizeInGb`, `password`…).
        public var key: String
        public var label: String
        public var kind: Kind
        public var editor: LineEditor
        /// Dimmed text after the field ("CEPH and VENDOR", "leave empty to keep").
        public var hint: String

        public init(_ key: String, _ label: String, _ kind: Kind, value: String = "", hint: String = "") {
            self.key = key; self.label = label; self.kind = kind; self.editor = LineEditor(value); self.hint = hint
        }

        public var value: String { editor.text }
    }

    public var purpose: Purpose
    public var fields: [Field]
    public var focus = 0
    /// The last refusal, in words, and the field it names.
    public var error: String?
    public var errorField: String?
    public var submitting = false

    public init(purpose: Purpose, fields: [Field]) {
        self.purpose = purpose; self.fields = fields
    }

    /// The box's title.
    public var title: String {
        switch purpose {
        case .newVolume: "New volume"
        case .renameVolume: "Rename volume"
        case .resizeVolume: "Resize volume"
        case .newCredential: "New registry credential"
        case .editCredential: "Change registry credential"
        }
    }

    /// The value of a field by key ("" when absent).
    public func value(_ key: String) -> String { fields.first { $0.key == key }?.value.trimmed ?? "" }

    /// Fields for a new volume.
    public static func newVolume(region: String) -> StorageEditor {
        StorageEditor(purpose: .newVolume, fields: [
            Field("name", "Name", .text),
            Field("storageType", "Type", .choice(StorageType.allCases.map(\.rawValue)), value: "CEPH", hint: "S3/R2: a name only"),
            Field("region", "Region", .text, value: region, hint: "CEPH/VENDOR"),
            Field("sizeInGb", "Size GB", .number, hint: "CEPH/VENDOR 1–10240"),
            Field("vendorVolumeType", "Vendor type", .choice(["", "NVMe", "HDD"]), hint: "VENDOR"),
        ])
    }

    public static func rename(_ volume: Volume) -> StorageEditor {
        StorageEditor(purpose: .renameVolume(volume.id), fields: [Field("name", "Name", .text, value: volume.name ?? "")])
    }

    public static func resize(_ volume: Volume) -> StorageEditor {
        StorageEditor(purpose: .resizeVolume(volume.id), fields: [
            Field("sizeInGb", "New size GB", .number, value: volume.sizeInGb.map(String.init) ?? "",
                  hint: volume.sizeInGb.map { "now \($0) GB; volumes only grow" } ?? "1–10240"),
        ])
    }

    public static func newCredential(forPodForm: Bool) -> StorageEditor {
        StorageEditor(purpose: .newCredential(forPodForm: forPodForm), fields: [
            Field("name", "Name", .text),
            Field("type", "Registry", .choice(RegistryCredential.types), value: "DOCKER_HUB"),
            Field("username", "Username", .text),
            Field("password", "Password", .secret, hint: "never shown or saved"),
        ])
    }

    public static func edit(_ credential: RegistryCredential) -> StorageEditor {
        StorageEditor(purpose: .editCredential(credential.id), fields: [
            Field("name", "Name", .text, value: credential.name),
            Field("username", "Username", .text, value: credential.username ?? "", hint: "leave empty to keep"),
            Field("password", "Password", .secret, hint: "leave empty to keep"),
        ])
    }

    /// A request ready to send, or every problem with the values.
    public enum Checked: Sendable, Equatable {
        case ok(StorageRequest)
        case refused([FieldError])
    }

    /// The request the values make, or every problem with them (checked before sending).
    public func request(volumes: [Volume], credentials: [RegistryCredential]) -> Checked {
        switch purpose {
        case .newVolume:
            guard let type = StorageType(parsing: value("storageType")) else {
                return .refused([FieldError(field: "storageType", message: "choose S3, R2, CEPH or VENDOR")])
            }
            let sizeText = value("sizeInGb")
            let size = Int(sizeText)
            if !sizeText.isEmpty && size == nil { return .refused([FieldError(field: "sizeInGb", message: "must be a whole number of GB")]) }
            let vendor = value("vendorVolumeType")
            let request = VolumeCreateRequest(name: value("name"), storageType: type,
                                              region: value("region").isEmpty ? nil : value("region"),
                                              sizeInGb: type.hasSize ? size : nil,
                                              vendorVolumeType: type == .vendor && !vendor.isEmpty ? vendor : nil)
            let problems = VolumeRules.validate(request)
            return problems.isEmpty ? .ok(.createVolume(request)) : .refused(problems)
        case .renameVolume(let id):
            let problems = VolumeRules.validate(name: value("name"))
            return problems.isEmpty ? .ok(.renameVolume(id: id, name: value("name"))) : .refused(problems)
        case .resizeVolume(let id):
            guard let size = Int(value("sizeInGb")) else {
                return .refused([FieldError(field: "sizeInGb", message: "must be a whole number of GB")])
            }
            let problems = VolumeRules.validate(resize: size, of: volumes.first { $0.id == id })
            return problems.isEmpty ? .ok(.resizeVolume(id: id, sizeInGb: size)) : .refused(problems)
        case .newCredential:
            // The password as typed: spaces can be part of it.
            let password = fields.first { $0.key == "password" }?.value ?? ""
            let request = CredentialCreateRequest(name: value("name"), type: value("type"), username: value("username"),
                                                  password: RegistryPassword(password))
            let problems = request.problems()
            return problems.isEmpty ? .ok(.createCredential(request)) : .refused(problems)
        case .editCredential(let id):
            let current = credentials.first { $0.id == id }
            let password = fields.first { $0.key == "password" }?.value ?? ""
            let name = value("name"), username = value("username")
            let request = CredentialUpdateRequest(
                name: name == current?.name ? nil : name,
                username: username.isEmpty || username == current?.username ? nil : username,
                password: password.isEmpty ? nil : RegistryPassword(password))
            let problems = request.problems()
            return problems.isEmpty ? .ok(.updateCredential(id: id, request)) : .refused(problems)
        }
    }
}
