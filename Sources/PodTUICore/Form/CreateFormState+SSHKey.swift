import PodAPI

extension CreateFormState {
    /// Offers `path` (the default key file the runtime found, e.g. `~/.ssh/id_ed25519.pub`)
    /// in the SSH key field: "add my ssh key" is on by default when the user has a key. Not
    /// when the field already names one (a template's) or an environment row sets
    /// PUBLIC_KEY (a clone's). The offer is part of how the form opened, not an edit.
    public mutating func offerSSHKey(_ path: String?) {
        guard let path, !path.isEmpty, values[.sshKey].isEmpty,
              !values.env.contains(where: { $0.key == SSHPublicKey.environmentKey }) else { return }
        values[.sshKey] = path
        initial[.sshKey] = path
    }
}
