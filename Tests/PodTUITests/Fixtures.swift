import Foundation
import PodAPI
@testable import PodTUICore

/// Fixed pods and a fixed clock so render snapshots never change.
enum Fixtures {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func pod(_ id: Int64, _ name: String, _ status: PodStatus, gpu: String = "NVIDIA_H100_80G", count: Int = 1,
                    region: String = "us-east-1", age: Double = 3600, price: Double? = 2.4) -> Pod {
        Pod(id: id, name: name, status: status, gpuType: gpu, image: "ubuntu:22.04", gpuDisplayName: GPUCatalog.displayName(for: gpu),
            gpuCount: count, createdAt: now.addingTimeInterval(-age), sshCmd: status == .running ? "ssh root@h -p 30003" : nil,
            region: region, singleCardPrice: price,
            envVars: [EnvVar(key: "HF_TOKEN", value: "hf_secret_value")],
            expose: [ExposedPort(port: 22, protocol: "SSH", proxyPort: 30003, healthy: status == .running)])
    }

    static let pods: [Pod] = [
        pod(362_740_422_811_062_272, "llama-ft-7", .running, count: 8, age: 11_520),
        pod(362_740_422_811_062_273, "sd-xl-train", .paused, gpu: "NVIDIA_RTX_4090_24G", region: "us-west-1", age: 93_600, price: 0.39),
        pod(362_740_422_811_062_274, "qwen-eval", .initializing, gpu: "NVIDIA_A100_80G", count: 2, region: "us-central-3", age: 40, price: 1.39),
        pod(362_740_422_811_062_275, "broken", .failed, gpu: "NVIDIA_RTX_4090_24G", age: 3900, price: 0.39),
    ]

    /// A state with the pods loaded at `now`.
    static func loaded(_ pods: [Pod] = pods) -> AppState {
        var state = AppState(endpoint: "api.yottalabs.ai", interval: 3, now: now)
        _ = Reducer.reduce(&state, .start(now))
        _ = Reducer.reduce(&state, .podsLoaded(generation: 1, PodList(pods: pods), now))
        return state
    }
}
