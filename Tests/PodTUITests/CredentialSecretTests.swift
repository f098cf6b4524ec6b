import Foundation
import Testing
import PodAPI
@testable import PodTUICore

/// Issue 24 (review L9): a password typed in `:credentials` is a secret of the state's
/// redactor from the moment it is sent, so a server error that echoes it is never drawn.
@Suite("A credential password typed in :credentials is never drawn")
struct CredentialSecretTests {
    let now = Fixtures.now

    @discardableResult
    func keys(_ state: inout AppState, _ keys: [Key]) -> [Effect] {
        keys.flatMap { Reducer.reduce(&state, .key($0, now)) }
    }

    func type(_ state: inout AppState, _ text: String) { keys(&state, text.map { Key.char($0) }) }

    func credentials() -> AppState {
        var state = Fixtures.loaded()
        type(&state, ":credentials")
        keys(&state, [.enter])
        _ = Reducer.reduce(&state, .credentialsLoaded(.success(FormFixtures.credentials)))
        return state
    }

    func echoed(_ state: inout AppState, _ request: StorageRequest) -> String {
        let error = PodAPIError.api(httpStatus: 400, code: 40001, message: "invalid password hunter22 for registry", podID: nil)
        _ = Reducer.reduce(&state, .storageFinished(request, .failure(error), now))
        return Render.render(state, size: Size(width: 160, height: 30)).text
    }

    @Test("create: the server's error echoing the password shows <redacted>, in the message and the small form")
    func created() throws {
        var state = credentials()
        keys(&state, [.char("n")])
        type(&state, "ghcr")
        keys(&state, [.tab, .tab])
        type(&state, "bob")
        keys(&state, [.tab])
        type(&state, "hunter22")
        let sent = keys(&state, [.enter])
        guard case .storage(let request)? = sent.first else { Issue.record("nothing sent: \(sent)"); return }
        #expect(state.settings.redactor.secrets.contains("hunter22"))
        let screen = echoed(&state, request)
        #expect(!screen.contains("hunter22"), "\(screen)")
        #expect(screen.contains("<redacted>"))
    }

    @Test("edit: a new password is redacted the same way")
    func edited() throws {
        var state = credentials()
        keys(&state, [.char("e"), .tab, .tab])
        type(&state, "hunter22")
        let sent = keys(&state, [.enter])
        guard case .storage(let request)? = sent.first else { Issue.record("nothing sent: \(sent)"); return }
        let screen = echoed(&state, request)
        #expect(!screen.contains("hunter22") && screen.contains("<redacted>"))
    }
}
