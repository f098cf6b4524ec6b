import Foundation
import PodAPI

/// The benchmarks' fleet of `count` pods (ids above 2^53, env vars, every status the list
/// shows), the same for every run.
func benchPods(_ count: Int) -> [Pod] {
    let base = Date(timeIntervalSince1970: 1_800_000_000)
    let statuses: [PodStatus] = [.running, .running, .running, .paused, .initializing, .failed]
    let gpus = ["NVIDIA_H100_80G", "NVIDIA_RTX_4090_24G", "NVIDIA_A100_80G", "NVIDIA_H200_141G"]
    let regions = ["us-east-1", "us-west-1", "us-central-3", "sg"]
    var pods: [Pod] = []
    pods.reserveCapacity(count)
    for i in 0..<count {
        let kind = ["train", "eval", "serve"][i % 3]
        let name = "job-" + String(i) + "-" + kind
        let created = base.addingTimeInterval(-Double(i * 37))
        let port = ExposedPort(port: 22, protocol: "SSH", proxyPort: 30003, healthy: true)
        var pod = Pod(id: 362_740_422_811_062_272 + Int64(i), name: name, status: statuses[i % statuses.count],
                      gpuType: gpus[i % gpus.count])
        pod.image = "pytorch/pytorch:2.4.0-cuda12.1"
        pod.gpuCount = [1, 2, 4, 8][i % 4]
        pod.createdAt = created
        pod.sshCmd = "ssh root@pod-" + String(i) + ".yotta.run -p " + String(30000 + i % 1000)
        pod.region = regions[i % regions.count]
        pod.singleCardPrice = [2.4, 0.39, 1.39, 3.2][i % 4]
        pod.envVars = [EnvVar(key: "HF_TOKEN", value: "hf_x")]
        pod.expose = [port]
        pods.append(pod)
    }
    return pods
}

