import FoundationEssentials
import PodAPI
import Libc
import Logging

/// Volumes and registry credentials (API notes §6.2, §6.3): the same envelope rules as pods.
extension HTTPPodService {
    /// Volumes asked for per page; servers may send fewer, and `pages` says how many follow.
    static let volumePageSize = 100
    /// A guard against a server whose paging never ends.
    static let maxVolumePages = 1000

    public func listVolumes(types: [StorageType], region: String?) async throws -> VolumeList {
        var result = VolumeList(volumes: [])
        var seen = Set<Int64>()
        var firstError: (any Error)?
        var answered = 0
        for type in types.isEmpty ? StorageType.allCases : types {
            do {
                let (volumes, problems) = try await listVolumePages(type: type, region: region, seen: &seen)
                result.volumes += volumes
                result.problems += problems
                answered += 1
            } catch let error as PodAPIError where error.isInvalidRequestRefusal {
                // A server that does not know one storage type must not hide the others.
                logger.warning("volumes: the server refused storageType=\(type.rawValue): \(error.shortReason)")
                result.problems.append("the server refused storageType \(type.rawValue): \(error.message)")
                if firstError == nil { firstError = error }
            }
        }
        if answered == 0, let firstError { throw firstError }
        return result
    }

    /// Every page of one storage type. Stops at the last page the reply names, at a short or
    /// empty page, or when a page brings nothing new (a server that ignores `page`).
    private func listVolumePages(type: StorageType, region: String?, seen: inout Set<Int64>) async throws -> ([Volume], [String]) {
        var volumes: [Volume] = []
        var problems: [String] = []
        var page = 1
        while page <= Self.maxVolumePages {
            var query = [("storageType", type.rawValue), ("page", String(page)), ("size", String(Self.volumePageSize))]
            if let region, !region.isEmpty { query.append(("region", region)) }
            let (status, data) = try await sendRaw(.GET, "/v2/volumes", query: query)
            let reply: VolumePage? = try Self.decodeOptionalReply(status: status, body: data)
            guard let reply, let items = reply.items else { break }
            for failure in items.failures {
                problems.append("\(type.rawValue) page \(page) item \(failure.index): \(failure.reason)")
            }
            let fresh = items.elements.filter { seen.insert($0.id).inserted }
            volumes += fresh
            let count = items.elements.count + items.failures.count
            if fresh.isEmpty && items.failures.isEmpty { break }
            if let pages = reply.pages {
                if page >= pages { break }
            } else if let total = reply.total {
                if seen.count >= total { break }
            } else if count < Self.volumePageSize {
                break
            }
            page += 1
        }
        if !problems.isEmpty { logger.warning("volumes: skipped \(problems.count) unreadable item(s): \(problems.joined(separator: "; "))") }
        return (volumes, problems)
    }

    public func getVolume(id: Int64) async throws -> Volume {
        try await naming("volume", id) { try await self.send(.GET, "/v2/volumes/\(id)", podID: id) }
    }

    public func createVolume(_ request: VolumeCreateRequest) async throws -> Volume? {
        let problems = VolumeRules.validate(request)
        guard problems.isEmpty else { throw PodAPIError.invalidRequest(problems) }
        let (status, data) = try await sendRaw(.POST, "/v2/volumes", body: try JSONEncoder.api.encode(request))
        // The volume exists from here on: an odd reply is logged, never an error.
        let created: CreatedReply<Volume>? = try Self.decodeOptionalReply(status: status, body: data)
        switch created {
        case .object(let volume)?: return volume
        case .id(let id)?: return (try? await getVolume(id: id)) ?? Volume(id: id, name: request.name, storageType: request.storageType.rawValue)
        case .nothing?, nil:
            logger.warning("volumes: create accepted without a volume in the reply")
            return nil
        }
    }

    public func renameVolume(id: Int64, name: String) async throws {
        let problems = VolumeRules.validate(name: name)
        guard problems.isEmpty else { throw PodAPIError.invalidRequest(problems) }
        let body = try JSONEncoder.api.encode(["name": name])
        try await optionalVolumeRoute("Renaming a volume", id, fields: ["name"]) {
            try await self.sendChecked(.POST, "/v2/volumes/\(id)/name", body: body)
        }
    }

    public func resizeVolume(id: Int64, sizeInGb: Int) async throws {
        let problems = VolumeRules.validate(resize: sizeInGb, of: nil)
        guard problems.isEmpty else { throw PodAPIError.invalidRequest(problems) }
        let body = try JSONEncoder.api.encode(["sizeInGb": sizeInGb])
        try await optionalVolumeRoute("Resizing a volume", id, fields: ["sizeInGb"]) {
            try await self.sendChecked(.POST, "/v2/volumes/\(id)/resize", body: body)
        }
    }

    /// Rename and resize may be missing on a server (the newest reference lists neither; API
    /// notes §6.3): HTTP 404, or code 10001 for the request as a whole, is
    /// `PodAPIError.unsupported` and the volume is left as it was. A 404 may also mean the
    /// volume is gone, so the volume is asked for once to tell the two apart. A 10001 that
    /// names one of the request's own `fields` ("name: too long") is the server's validation,
    /// passed on as it is. The request is sent without a pod id so the raw status and code
    /// reach this decision (`checkEnvelope` would fold every 404 into "not found").
    private func optionalVolumeRoute(_ operation: String, _ id: Int64, fields: Set<String>,
                                     _ send: () async throws -> Data) async throws {
        do {
            _ = try await send()
        } catch let error as PodAPIError {
            switch error {
            case .http(404, let body):
                throw await missingRouteOrVolume(operation, id, status: 404, code: nil, detail: body)
            case .api(let status, let code, let message, _) where status == 404:
                throw await missingRouteOrVolume(operation, id, status: status, code: code, detail: message)
            case .api(_, let code, _, _) where PodAPIError.Code.notFoundCodes.contains(code):
                throw PodAPIError.resourceNotFound(kind: "volume", id: id)
            case .api(let status, PodAPIError.Code.invalidParameters, let message, _):
                if error.fieldErrors.contains(where: { fields.contains($0.field) }) { throw error }
                logger.info("volumes: the server refused \(operation.lowercased()) as a whole (code 10001): taken as not supported")
                throw PodAPIError.unsupported(operation: operation, httpStatus: status, code: PodAPIError.Code.invalidParameters, detail: message)
            default:
                throw error
            }
        }
    }

    /// After a 404 on a volume route: "Volume ID not found" when the volume is gone, else the
    /// route is what is missing.
    private func missingRouteOrVolume(_ operation: String, _ id: Int64, status: Int, code: Int?, detail: String) async -> PodAPIError {
        do {
            _ = try await getVolume(id: id)
        } catch let error as PodAPIError {
            if case .resourceNotFound = error { return error }
            // The volume could not be asked for (a network blip): the 404 was about the route.
        } catch {}
        logger.info("volumes: \(operation.lowercased()) answered HTTP \(status): the server does not offer it")
        // A plain-text 404 page says nothing a person needs; an envelope's message may.
        return PodAPIError.unsupported(operation: operation, httpStatus: status, code: code, detail: code == nil ? "" : detail)
    }

    public func deleteVolume(id: Int64) async throws {
        _ = try await naming("volume", id) { try await self.sendChecked(.DELETE, "/v2/volumes/\(id)", podID: id) }
    }

    public func registryCredential(id: Int64) async throws -> RegistryCredential {
        try await naming("credential", id) { try await self.send(.GET, "/v2/container-registry-auths/\(id)", podID: id) }
    }

    public func createRegistryCredential(_ request: CredentialCreateRequest) async throws -> RegistryCredential? {
        let problems = request.problems()
        guard problems.isEmpty else { throw PodAPIError.invalidRequest(problems) }
        var request = request
        request.type = RegistryCredential.canonicalType(request.type) ?? request.type
        let (status, data) = try await sendRaw(.POST, "/v2/container-registry-auths", body: try JSONEncoder.api.encode(request))
        let created: CreatedReply<RegistryCredential>? = try Self.decodeOptionalReply(status: status, body: data)
        switch created {
        case .object(let credential)?: return credential
        case .id(let id)?: return (try? await registryCredential(id: id)) ?? RegistryCredential(id: id, name: request.name, type: request.type)
        case .nothing?, nil:
            logger.warning("credentials: create accepted without a credential in the reply")
            return nil
        }
    }

    public func updateRegistryCredential(id: Int64, _ request: CredentialUpdateRequest) async throws {
        let problems = request.problems()
        guard problems.isEmpty else { throw PodAPIError.invalidRequest(problems) }
        let body = try JSONEncoder.api.encode(request)
        _ = try await naming("credential", id) { try await self.sendChecked(.PATCH, "/v2/container-registry-auths/\(id)", body: body, podID: id) }
    }

    public func deleteRegistryCredential(id: Int64) async throws {
        _ = try await naming("credential", id) { try await self.sendChecked(.DELETE, "/v2/container-registry-auths/\(id)", podID: id) }
    }

    /// Runs a request about one volume or credential; "not found" (in any dialect) names it.
    private func naming<T>(_ kind: String, _ id: Int64, _ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch PodAPIError.notFound {
            throw PodAPIError.resourceNotFound(kind: kind, id: id)
        }
    }
}

/// The `data` of a volume or credential create reply: the object, its bare id (number or
/// digit string), or nothing usable.
enum CreatedReply<Object: Decodable>: Decodable {
    case object(Object), id(Int64), nothing
    init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if let id = try? single.decode(Int64.self) { self = .id(id); return }
        if let text = try? single.decode(String.self) { self = PodID.parse(text).map(CreatedReply.id) ?? .nothing; return }
        self = (try? Object(from: decoder)).map(CreatedReply.object) ?? .nothing
    }
}
