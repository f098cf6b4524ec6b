import Foundation
import PodAPI

/// The simulator's catalogue and fleets: GPU types with regions and prices, registry
/// credentials, the demo fleet and generated fleets. Deterministic for a given seed.
enum SeedData {
    struct Offer {
        let gpuType: String
        let price: Double
        let regions: [(String, Bool)]
    }

    static let regionNames: [String: String] = [
        "us-east-1": "US East", "us-east-3": "US East 3", "us-west-1": "US West",
        "us-central-3": "US Central 3", "ap-southeast-1": "Asia Pacific (Singapore)", "sg": "Singapore",
    ]

    /// GPU types offered, their price per card-hour and where (available or sold out).
    static let offers: [Offer] = [
        Offer(gpuType: "NVIDIA_RTX_4090_24G", price: 0.39, regions: [("us-east-1", true), ("us-west-1", true), ("sg", true)]),
        Offer(gpuType: "NVIDIA_RTX_5090_32G", price: 0.69, regions: [("us-west-1", true), ("us-east-1", false)]),
        Offer(gpuType: "NVIDIA_RTX_A6000_48G", price: 0.49, regions: [("us-west-1", true), ("ap-southeast-1", true)]),
        Offer(gpuType: "NVIDIA_RTX_6000_Ada_48G", price: 0.79, regions: [("us-east-1", true)]),
        Offer(gpuType: "NVIDIA_A100_PCIe_40G", price: 0.99, regions: [("us-east-1", true), ("us-central-3", false)]),
        Offer(gpuType: "NVIDIA_A100_80G", price: 1.39, regions: [("us-central-3", true), ("us-east-3", true)]),
        Offer(gpuType: "NVIDIA_H100_PCIe_80G", price: 1.99, regions: [("us-west-1", true)]),
        Offer(gpuType: "NVIDIA_H100_80G", price: 2.40, regions: [("us-east-1", true), ("us-east-3", true), ("us-central-3", false)]),
        Offer(gpuType: "NVIDIA_H200_141G", price: 3.20, regions: [("us-east-3", true), ("us-west-1", false)]),
        Offer(gpuType: "NVIDIA_B200_180G", price: 4.50, regions: [("us-east-3", true)]),
        Offer(gpuType: "AMD_MI300X_192G", price: 2.10, regions: [("us-central-3", true)]),
    ]

    static func offer(for gpuType: String) -> Offer? { offers.first { $0.gpuType == gpuType } }

    /// Price per hour of a CPU pod (it has no GPU type, so no offer).
    static let cpuPrice = 0.12

    static func gpuTypes() -> [GPUType] {
        var vmTypeId: Int64 = 1
        return offers.map { offer in
            GPUType(gpuType: offer.gpuType, regions: offer.regions.map { region, available in
                defer { vmTypeId += 1 }
                return GPURegion(region: region, regionName: regionNames[region], available: available, vmTypeId: vmTypeId)
            })
        }
    }

    static let credentials: [RegistryCredential] = [
        RegistryCredential(id: 123, name: "my-docker-registry", type: "DOCKER_HUB", createdAt: Date(timeIntervalSince1970: 1_705_314_600)),
        RegistryCredential(id: 331_864_222_263_676_929, name: "team-ghcr", type: "PRIVATE", createdAt: Date(timeIntervalSince1970: 1_730_000_000)),
        RegistryCredential(id: 402_872_365_298_094_821, name: "prod-ecr", type: "ECR", createdAt: Date(timeIntervalSince1970: 1_740_000_000)),
    ]

    /// The demo account's volumes, one of each type; the demo fleet mounts the first.
    static func volumes(now: Date) -> [Volume] {
        let day = 86_400.0
        return [
            Volume(id: 331_864_222_263_700_001, name: "datasets", sizeInGb: 500, region: "us-east-1", storageType: "CEPH",
                   status: "active", mountCount: 0, cost: 25, createdAt: now.addingTimeInterval(-40 * day)),
            Volume(id: 331_864_222_263_700_002, name: "checkpoints", sizeInGb: 2048, region: "us-east-3", storageType: "VENDOR",
                   status: "active", vendorVolumeType: "NVMe", mountCount: 0, cost: 245.76, createdAt: now.addingTimeInterval(-12 * day)),
            Volume(id: 331_864_222_263_700_003, name: "model-zoo", region: "us-west-1", storageType: "S3",
                   status: "active", mountCount: 0, cost: 0, createdAt: now.addingTimeInterval(-90 * day)),
            Volume(id: 331_864_222_263_700_004, name: "eval-results", region: "us-east-1", storageType: "R2",
                   status: "active", mountCount: 0, cost: 0, createdAt: now.addingTimeInterval(-3 * day)),
            Volume(id: 331_864_222_263_700_005, name: "scratch", sizeInGb: 100, region: "us-west-1", storageType: "CEPH",
                   status: "active", mountCount: 0, cost: 5, createdAt: now.addingTimeInterval(-1 * day)),
        ]
    }

    static let images = [
        "yottalabsai/pytorch:2.8.0-py3.11-cuda12.8.1-cudnn-devel-ubuntu22.04-2025090101",
        "yottalabsai/pytorch:2.9.0-py3.11-cuda12.8.1-cudnn-devel-ubuntu22.04",
        "pytorch/pytorch:2.0.0-cuda11.7-cudnn8-runtime",
        "nvidia/cuda:12.1.0-base-ubuntu22.04",
        "vllm/vllm-openai:latest",
        "yottalabsai/unsloth:0.6.9-py3.11-cuda12.1-cudnn-devel-ubuntu22.04",
        "yottalabsai/skyrl:ray2.51-py3.11-cuda12.1-cudnn-devel-ubuntu22.04",
        "yottalabsai/comfyui:cuda12.8.1-ubuntu22.04-2025102101",
        "ubuntu:22.04",
    ]

    /// One pod of the demo fleet: name, GPU, count, region, status, age in seconds, image index.
    /// A nil name is a pod made without one (the official CLI allows it); a nil GPU is a CPU pod.
    struct DemoPod {
        let name: String?, gpu: String?, count: Int, region: String, status: PodStatus, age: Double, image: Int
        var ports: [(Int, String)] = [(22, "SSH"), (8888, "HTTP")]
        var env: [(String, String)] = [("PYTHONUNBUFFERED", "1")]
    }

    static let demo: [DemoPod] = [
        DemoPod(name: "llama-ft-7", gpu: "NVIDIA_H100_80G", count: 8, region: "us-east-1", status: .running, age: 11_520, image: 0,
                env: [("HF_TOKEN", "hf_demo_Qx81vTnE2"), ("WANDB_PROJECT", "llama-ft"), ("PYTHONUNBUFFERED", "1")]),
        DemoPod(name: "sd-xl-train", gpu: "NVIDIA_RTX_4090_24G", count: 1, region: "us-west-1", status: .pausing, age: 93_600, image: 2),
        DemoPod(name: "vllm-serve-70b", gpu: "NVIDIA_H200_141G", count: 4, region: "us-east-3", status: .running, age: 259_200, image: 4,
                ports: [(22, "SSH"), (8000, "HTTP")], env: [("HF_TOKEN", "hf_demo_9KzLq0wPa"), ("VLLM_PORT", "8000")]),
        DemoPod(name: "comfyui-art", gpu: "NVIDIA_RTX_5090_32G", count: 1, region: "us-west-1", status: .paused, age: 432_000, image: 7,
                ports: [(22, "SSH"), (8188, "HTTP")]),
        DemoPod(name: "qwen-eval", gpu: "NVIDIA_A100_80G", count: 2, region: "us-central-3", status: .initializing, age: 40, image: 1),
        DemoPod(name: "unsloth-lora", gpu: "NVIDIA_RTX_6000_Ada_48G", count: 1, region: "us-east-1", status: .running, age: 26_000, image: 5,
                env: [("JUPYTER_PASSWORD", "correct-horse"), ("PYTHONUNBUFFERED", "1")]),
        DemoPod(name: "skyrl-rollout", gpu: "NVIDIA_B200_180G", count: 8, region: "us-east-3", status: .running, age: 7_300, image: 6,
                ports: [(22, "SSH"), (6006, "HTTP")]),
        DemoPod(name: "broken-image-test", gpu: "NVIDIA_RTX_4090_24G", count: 1, region: "us-east-1", status: .failed, age: 3_900, image: 8, ports: []),
        DemoPod(name: "jupyter-scratch", gpu: "NVIDIA_RTX_A6000_48G", count: 1, region: "ap-southeast-1", status: .running, age: 52_000, image: 0),
        DemoPod(name: "bert-sweep-3", gpu: "NVIDIA_A100_PCIe_40G", count: 1, region: "us-east-1", status: .paused, age: 1_209_600, image: 2),
        DemoPod(name: "mi300x-bench", gpu: "AMD_MI300X_192G", count: 8, region: "us-central-3", status: .running, age: 18_000, image: 3,
                ports: [(22, "SSH")]),
        DemoPod(name: "old-run-0412", gpu: "NVIDIA_H100_PCIe_80G", count: 2, region: "us-west-1", status: .terminating, age: 604_800, image: 0),
        DemoPod(name: "whisper-asr", gpu: "NVIDIA_RTX_4090_24G", count: 2, region: "sg", status: .running, age: 86_000, image: 3,
                ports: [(22, "SSH"), (9000, "TCP")]),
        // Made with `yotta pods create` and no --name.
        DemoPod(name: nil, gpu: "NVIDIA_RTX_4090_24G", count: 1, region: "us-east-1", status: .running, age: 5_400, image: 1),
        // A CPU pod: resourceType CPU, gpuType null, gpuCount 0.
        DemoPod(name: "data-prep-cpu", gpu: nil, count: 0, region: "us-west-1", status: .running, age: 30_000, image: 8,
                ports: [(22, "SSH")]),
    ]

    static let namePrefixes = ["llama", "qwen", "mistral", "sdxl", "whisper", "bert", "vllm", "gemma", "phi", "t5", "clip", "yolo"]
    static let nameSuffixes = ["ft", "eval", "serve", "train", "sweep", "bench", "dev", "lora", "rl", "infer"]
}
