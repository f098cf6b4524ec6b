import Foundation
import Testing
import PodAPI
import PodLocalFiles
@testable import PodTUICore

/// Issue 28: the create form's "SSH public key" field. It sends the key file as PUBLIC_KEY
/// by its path (`@PATH`, read by the runtime at create), the "show CLI" line says
/// `--ssh-key PATH` and never the key's text, and a template keeps the path.
@Suite("Create form: SSH public key")
struct FormSSHKeyTests {
    static let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq0cJ3YpVb1F8fU9mQ2xq8r6W3Y0xGZk1d7c0bSx1Yq alice@laptop"

    func filled(_ path: String) -> CreateFormState {
        var form = CreateFormState()
        form.values[.name] = "job"; form.values[.image] = "img"; form.values[.gpuType] = "NVIDIA_H100_80G"
        form.values[.sshKey] = path
        return form
    }

    @Test("the field is last before the buttons: the Tab order of every other field is unchanged")
    func tabOrder() {
        let items = CreateFormState().items
        #expect(Array(items.suffix(4)) == [.addVolume, .field(.sshKey), .submit, .cancel])
        #expect(FormSection.allCases.last == .ssh && FormSection.ssh.fields == [.sshKey])
        #expect(FormValues()[.sshKey] == "", "off until the runtime offers the default key file")
    }

    @Test("a path becomes PUBLIC_KEY=@PATH; the command line shows --ssh-key PATH")
    func path() {
        let form = filled("~/.ssh/id_ed25519.pub")
        let check = form.check(catalog: FormFixtures.catalog)
        #expect(check.errors.isEmpty && check.general.isEmpty)
        #expect(check.request.environmentVars == [EnvVar(key: "PUBLIC_KEY", value: "@~/.ssh/id_ed25519.pub")])
        let line = form.commandLine(catalog: FormFixtures.catalog)
        #expect(line.hasSuffix("--ssh-key '~/.ssh/id_ed25519.pub'") || line.hasSuffix("--ssh-key ~/.ssh/id_ed25519.pub"), "\(line)")
        #expect(!line.contains("PUBLIC_KEY") && !line.contains("--no-ssh-key"))
        let spaced = filled("/keys/my key.pub").commandLine(catalog: FormFixtures.catalog)
        #expect(spaced.hasSuffix("--ssh-key '/keys/my key.pub'"))
    }

    @Test("empty sends no key, and the command line says --no-ssh-key (else the CLI would send the default one)")
    func none() {
        let form = filled("")
        #expect(form.check(catalog: FormFixtures.catalog).request.environmentVars == nil)
        #expect(form.commandLine(catalog: FormFixtures.catalog).hasSuffix("--no-ssh-key"))
    }

    @Test("pasted key text, control characters or a PUBLIC_KEY row too are errors on the field; key text never reaches the line")
    func refused() {
        for text in [Self.key, "ssh-rsa AAAA", "a\u{1b}]52;c;eA==\u{7}b"] {
            let check = filled(text).check(catalog: FormFixtures.catalog)
            #expect(check.errors[.field(.sshKey)] != nil, "\(text)")
            #expect(check.request.environmentVars == nil)
        }
        var both = filled("~/.ssh/id_rsa.pub")
        both.values.env = [EnvRow(key: "PUBLIC_KEY", value: Self.key)]
        let check = both.check(catalog: FormFixtures.catalog)
        #expect(check.errors[.field(.sshKey)] == "PUBLIC_KEY is also an environment variable below: keep one")
        let line = both.commandLine(catalog: FormFixtures.catalog)
        #expect(!line.contains("AAAAC3") && line.contains("--env PUBLIC_KEY=…"), "\(line)")
    }

    @Test("a template keeps the path, not the key, and fills the field again")
    func template() throws {
        let form = filled("~/.ssh/id_ecdsa.pub")
        let request = form.check(catalog: FormFixtures.catalog).request
        let dir = NSTemporaryDirectory() + "podtui-sshkey-templates-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = TemplateStore(directory: dir)
        try store.save("job", request: request, secretKeys: [])
        let text = try String(contentsOfFile: dir + "/job.json", encoding: .utf8)
        #expect(text.contains("@~/.ssh/id_ecdsa.pub") && !text.contains("ssh-ed25519"))
        let (loaded, refs) = try store.load("job")
        let reopened = CreateFormState.fromTemplate("job", request: loaded, references: refs)
        #expect(reopened.values[.sshKey] == "~/.ssh/id_ecdsa.pub" && reopened.values.env.isEmpty)
        #expect(reopened.check(catalog: FormFixtures.catalog).request == request)
    }

    @Test("the form shows the field under its own heading")
    func rendered() {
        var state = Fixtures.loaded()
        _ = Reducer.reduce(&state, .key(.char("n"), Fixtures.now))
        state.form?.values[.sshKey] = "~/.ssh/id_ed25519.pub"
        let text = Render.render(state, size: Size(width: 120, height: 40)).text
        #expect(text.contains(" SSH ───") && text.contains(" SSH public key       ~/.ssh/id_ed25519.pub"))
    }
}

/// What the runtime hands the form when it opens: the default key file, offered.
@Suite("Create form: the default SSH key offered")
struct FormSSHKeyOfferTests {
    @Test("offered in an empty form without making it dirty; never over a template's key or a PUBLIC_KEY row")
    func offer() {
        var form = CreateFormState()
        form.offerSSHKey("~/.ssh/id_ed25519.pub")
        #expect(form.values[.sshKey] == "~/.ssh/id_ed25519.pub" && !form.isDirty)
        var none = CreateFormState()
        none.offerSSHKey(nil)
        #expect(none.values[.sshKey] == "" && none.commandLine(catalog: FormFixtures.catalog).hasSuffix("--no-ssh-key"))
        let request = PodV2CreateRequest(name: "t", image: "i", gpuType: "g", environmentVars: [EnvVar(key: "PUBLIC_KEY", value: "@/keys/team.pub")])
        var template = CreateFormState.fromTemplate("t", request: request, references: [])
        template.offerSSHKey("~/.ssh/id_ed25519.pub")
        #expect(template.values[.sshKey] == "/keys/team.pub")
        var clone = CreateFormState()
        clone.values.env = [EnvRow(key: "PUBLIC_KEY", value: FormSSHKeyTests.key)]
        clone.offerSSHKey("~/.ssh/id_ed25519.pub")
        #expect(clone.values[.sshKey] == "")
    }
}
