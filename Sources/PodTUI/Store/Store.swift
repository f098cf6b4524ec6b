import PodTUICore
import Foundation
import Logging
import PodAPI

/// The one owner of mutable UI state. Actions arrive through the inbox in order; each is
/// reduced, the result published to the `StateBox`, and the effects run as tasks whose
/// results come back as actions.
public actor Store {
    private var state: AppState
    /// Replaced by `:profile`.
    private var service: any PodService
    private let switchProfile: ProfileSwitcher?
    private let box: StateBox
    private let inbox: AsyncStream<Action>.Continuation
    private let logger: Logger
    /// Clock for result actions; tests may pin it.
    private let clock: @Sendable () -> Date

    public init(state: AppState, service: any PodService, box: StateBox, inbox: AsyncStream<Action>.Continuation,
                logger: Logger = Logger(label: "podtui.store"), clock: @escaping @Sendable () -> Date = { Date() },
                switchProfile: ProfileSwitcher? = nil) {
        self.state = state
        self.service = service
        self.switchProfile = switchProfile
        self.box = box
        self.inbox = inbox
        self.logger = logger
        self.clock = clock
    }

    /// Reduces one action, publishes the new state and starts its effects.
    public func send(_ action: Action) {
        let started = ContinuousClock.now
        let effects = Reducer.reduce(&state, action)
        box.publish(state)
        let took = ContinuousClock.now - started
        if took > .milliseconds(5) {
            // Slow reductions are what a user feels as lag; the log says which action it was.
            logger.debug("slow reduce: \(took) for \(Self.name(of: action))")
        }
        for effect in effects { run(effect) }
    }

    /// The action's case name, without its payload (which may be 10,000 pods).
    private static func name(of action: Action) -> String {
        String(describing: action).prefix { $0 != "(" }.description
    }

    /// The current state (tests).
    public func current() -> AppState { state }

    /// Reads actions from the stream until it ends.
    public func consume(_ actions: AsyncStream<Action>) async {
        for await action in actions { send(action) }
    }

    private func run(_ effect: Effect) {
        let service = self.service, inbox = self.inbox, logger = self.logger, clock = self.clock
        switch effect {
        case .fetchPods(let generation, let query):
            Task.detached {
                do {
                    let list = try await service.listPods(regions: query.regions, statuses: query.statuses)
                    inbox.yield(.podsLoaded(generation: generation, list, clock()))
                } catch {
                    let apiError = Self.apiError(error)
                    logger.warning("poll \(generation) failed: \(apiError.message)")
                    inbox.yield(.podsFailed(generation: generation, apiError, clock()))
                }
            }
        case .perform(let action, let id):
            Task.detached {
                do {
                    try await service.perform(action, id: id)
                    logger.info("\(action.rawValue) \(id): accepted")
                    inbox.yield(.actionFinished(podID: id, action, nil, clock()))
                } catch {
                    let apiError = Self.apiError(error)
                    logger.warning("\(action.rawValue) \(id) failed: \(apiError.message)")
                    inbox.yield(.actionFinished(podID: id, action, apiError, clock()))
                }
            }
        case .loadCatalog:
            Task.detached {
                do { inbox.yield(.gpuTypesLoaded(.success(try await service.gpuTypes()))) } catch {
                    let apiError = Self.apiError(error)
                    logger.warning("GPU types failed: \(apiError.message)")
                    inbox.yield(.gpuTypesLoaded(.failure(apiError)))
                }
            }
            Task.detached {
                do { inbox.yield(.credentialsLoaded(.success(try await service.registryCredentials()))) } catch {
                    let apiError = Self.apiError(error)
                    logger.warning("registry credentials failed: \(apiError.message)")
                    inbox.yield(.credentialsLoaded(.failure(apiError)))
                }
            }
        case .createPod(let request):
            // The deprecated registry password must never reach the log, even inside an error.
            if let password = request.imageRegistryPassword { Secrets.register(password) }
            Task.detached {
                do {
                    switch try await service.createPod(request) {
                    case .created(let pod):
                        logger.info("create \(request.name): accepted as \(pod.id)")
                        inbox.yield(.podCreated(pod, clock()))
                    case .acceptedWithoutID:
                        logger.info("create \(request.name): accepted, no id in the reply")
                        inbox.yield(.podCreatedWithoutID(name: request.name, clock()))
                    }
                } catch {
                    let apiError = Self.apiError(error)
                    logger.warning("create \(request.name) failed: \(apiError.message)")
                    inbox.yield(.createFailed(apiError, clock()))
                }
            }
        case .switchProfile(let name):
            guard let switchProfile else {
                inbox.yield(.profileFailed("Profiles are not available here (demo mode or no config file)", clock()))
                return
            }
            do {
                let switched = try switchProfile(name)
                self.service = switched.service
                logger.info("switched to profile \(name): \(switched.endpoint)")
                inbox.yield(.profileSwitched(name: name, endpoint: switched.endpoint, readOnly: switched.readOnly,
                                             secrets: Secrets.snapshot, clock()))
            } catch {
                inbox.yield(.profileFailed("Profile \(name): \(Self.apiError(error).message)", clock()))
            }
        }
    }

    /// Any error as the API error the reducer understands.
    private static func apiError(_ error: any Error) -> PodAPIError {
        error as? PodAPIError ?? .connection(String(describing: error))
    }
}
