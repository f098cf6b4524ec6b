import FoundationEssentials
import Libc
import PodAPI
import PodTUI
import PodTUICore

/// Pod tables and the long description for the CLI.
enum PodTable {
    static func render(_ pods: [Pod], wide: Bool, width: Int?, now: Date = Date()) -> String {
        var columns: [CLIOutput.Column] = [
            .init(header: "ID"), .init(header: "NAME", flexible: true, minWidth: 8), .init(header: "STATUS"),
            .init(header: "GPU", flexible: true, minWidth: 6), .init(header: "×", alignRight: true), .init(header: "REGION"),
            .init(header: "AGE", alignRight: true), .init(header: "$/H", alignRight: true),
        ]
        if wide { columns += [.init(header: "IMAGE", flexible: true, minWidth: 10), .init(header: "SSH", flexible: true, minWidth: 10)] }
        let rows = pods.map { pod -> [String] in
            var row = [String(pod.id), pod.isUnnamed ? "(unnamed)" : pod.nameOrEmpty, pod.status.wireName, pod.gpuName, pod.gpuCount.map(String.init) ?? "-",
                       pod.region ?? "-", Format.age(of: pod, now: now), Format.price(pod.pricePerHour)]
            if wide { row += [pod.image ?? "-", pod.sshCmd ?? "-"] }
            return row
        }
        return CLIOutput.table(columns, rows, width: width)
    }

    static func describe(_ pod: Pod, zone: ZoneOffsets = LocalZone.current()) -> String {
        var lines: [(String, String)] = [
            ("id", String(pod.id)), ("name", pod.isUnnamed ? "(unnamed)" : pod.nameOrEmpty), ("status", pod.status.wireName),
            pod.isCPU ? ("gpu", "none (CPU pod)") : ("gpu", "\(pod.gpuName)" + (pod.gpuType.map { " (\($0))" } ?? "") + " × \(pod.gpuCount ?? 1)"),
            ("region", pod.region ?? "-"),
            ("price", pod.pricePerHour.map { "$\(Format.price($0))/h" } ?? "-"), ("image", pod.image ?? "-"),
            ("registry", pod.imageRegistry ?? "-"), ("ssh", pod.sshCmd ?? "-"),
            ("created", Format.dateTime(pod.createdAt, in: zone)), ("updated", Format.dateTime(pod.updatedAt, in: zone)),
        ]
        if let v = pod.containerVolumeInGb { lines.append(("container volume", "\(v) GB")) }
        if let v = pod.persistentVolumeInGb { lines.append(("persistent volume", "\(v) GB at \(pod.persistentMountPath ?? "?")")) }
        for volume in pod.persistentVolumes ?? [] {
            lines.append(("volume", "\(volume.volumeId) at \(volume.mountPath.isEmpty ? "?" : volume.mountPath)"))
        }
        if let cmd = pod.initializationCommand { lines.append(("init", cmd)) }
        for port in pod.expose ?? [] {
            lines.append(("port", "\(port.port)/\(port.protocol.uppercased())" + (port.proxyPort.map { " → \($0)" } ?? "")
                          + (port.healthy == true ? " healthy" : port.healthy == false ? " not ready" : "")))
        }
        for env in pod.envVars ?? [] { lines.append(("env", "\(env.key)=•••• (use -o json to see values)")) }
        let width = lines.map { DisplayWidth.of($0.0) }.max() ?? 0
        return lines.map { DisplayWidth.pad($0.0, to: width) + "  " + TextSafety.clean($0.1) }.joined(separator: "\n")
    }
}
