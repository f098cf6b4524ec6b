import Foundation
import Testing
@testable import PodAPI
@testable import PodClient
import PodSim

/// `MetricsFastPath` may decline any body, but whenever it answers it must answer exactly
/// what the `Decodable` path (`PodMetrics` through `JSONDecoder`) gives. Checked on the
/// shapes the simulator's dialects and Prometheus-style servers send, on every lenient form
/// of every field, and on thousands of mutated bodies; `MetricsClientTests` runs it over
/// real HTTP against the simulator.
@Suite("Metrics fast path")
struct MetricsFastPathTests {
    static let iterations = ProcessInfo.processInfo.environment["PODTUI_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 4_000

    /// The Decodable path's answer, or nil when it throws or finds `data` null.
    func slow(_ body: Data) -> PodMetrics? {
        let decoded: PodMetrics?? = try? HTTPPodService.decodeOptionalReply(status: 200, body: body)
        return decoded ?? nil
    }

    func reply(_ data: String) -> Data {
        Data(#"{"code":10000,"message":"ok","data":\#(data)}"#.utf8)
    }

    func check(_ body: Data, mustAnswer: Bool = false, _ comment: Comment? = nil) {
        let fast = MetricsFastPath.decode(body)
        if mustAnswer { #expect(fast != nil, comment) }
        guard let fast else { return }
        let text = String(decoding: body.prefix(400), as: UTF8.self)
        let reference = slow(body)
        #expect(reference != nil, "fast path answered a body the Decodable path does not read: \(text)")
        if let reference { #expect(fast == reference, "fast and Decodable paths differ on \(text)") }
    }

    /// A reply of the simulator's shape: `gpus` series of `points` samples each.
    func simulatorShape(gpus: Int, points: Int, strings: Bool, rng: inout SeededRandom) -> Data {
        var series: [String] = []
        for g in 0..<gpus {
            var samples: [String] = []
            for p in 0..<points {
                let ms = 1_780_000_000_000 + Int64(p) * 30_000
                let value = Double(rng.next() % 100_000) / 1000
                samples.append(strings ? #"{"timestamp":"\#(ms)","value":"\#(value)"}"# : #"{"timestamp":\#(ms),"value":\#(value)}"#)
            }
            let total = strings ? #","latest_total":"80.0""# : ""
            series.append(#"{"labels":{"gpu_show_index":"\#(g)","uuid":"GPU-\#(g)"},"data_points":[\#(samples.joined(separator: ","))]\#(total)}"#)
        }
        let total = strings ? "" : #","latest_total":\#(gpus * 80)"#
        return reply(#"{"metric_name":"gpu_utilization","series":[\#(series.joined(separator: ","))]\#(total)}"#)
    }

    @Test("the simulator's shapes (numbers, and numbers as strings) are answered, and identically")
    func simulatorShapes() {
        var rng = SeededRandom(seed: 11)
        for (gpus, points) in [(1, 1), (1, 120), (8, 120), (16, 360)] {
            for strings in [false, true] {
                check(simulatorShape(gpus: gpus, points: points, strings: strings, rng: &rng), mustAnswer: true,
                      "\(gpus) GPUs, \(points) points, strings: \(strings)")
            }
        }
    }

    @Test("every lenient form of every field, as the Decodable path reads it")
    func lenientForms() {
        let forms = [
            // Prometheus pairs: fractional seconds, values as strings, NaN, a lone time.
            #"{"metricName":"gpu","series":[{"labels":{"gpu_show_index":0},"values":[[1780000000.5,"12.5"],[1780000030,"NaN"],[1780000060],[1780000090,7]]}]}"#,
            // camelCase, totals in each series, unsorted and duplicate times, seconds and ms.
            #"{"metric_name":"m","latestTotal":"640","series":[{"labels":{"a":true,"b":null,"c":"x"},"dataPoints":[{"time":1780000060,"value":2},{"timestamp":1780000000000,"value":1},{"timestamp":1780000000000,"value":3}],"latestTotal":80}]}"#,
            // ISO times, numbers as strings with spaces, a gap as null, a value beyond 1e18.
            #"{"series":[{"labels":{},"data_points":[{"timestamp":"2026-05-28T21:46:40Z","value":" 4.5 "},{"timestamp":"1780000030000","value":null},{"timestamp":1780000060000,"value":1e19}]}]}"#,
            // A sample without a time is skipped; data_points null falls back to values.
            #"{"series":[{"data_points":null,"values":[{"value":1},{"timestamp":null,"value":2},{"timestamp":1780000000,"value":true}]}]}"#,
            // Empty and null forms.
            #"{"series":[]}"#, #"{"series":null}"#, #"{}"#, #"{"series":[{}]}"#, #"{"series":[{"labels":null,"data_points":[]}]}"#,
            // Unknown fields anywhere are skipped.
            #"{"extra":{"deep":[1,{"x":null}]},"series":[{"other":[1,2],"data_points":[{"timestamp":1780000000,"value":5,"unit":"%"}]}]}"#,
            // Objects and arrays where a value goes: no value.
            #"{"latest_total":{"v":1},"series":[{"latest_total":[1],"data_points":[{"timestamp":1780000000,"value":[1]}]}]}"#,
            // Escapes in label values; 40 labels (32 kept); a 300-character value (cut at 256).
            #"{"series":[{"labels":{"q":"a\"b\u00e9\ud83d\ude00","long":"\#(String(repeating: "v", count: 300))",\#((0..<40).map { #""l\#($0)":"\#($0)""# }.joined(separator: ","))},"data_points":[{"timestamp":1780000000,"value":0}]}]}"#,
            // Exponents and negative numbers.
            #"{"latest_total":8e1,"series":[{"data_points":[{"timestamp":1.78e12,"value":-0.5e-3},{"timestamp":1780000030000,"value":-0}]}]}"#,
        ]
        for form in forms { check(reply(form), mustAnswer: true, "\(form)") }
        // More series than are kept, and more points than are kept.
        let many = (0..<70).map { #"{"labels":{"i":"\#($0)"},"data_points":[{"timestamp":1780000000,"value":\#($0)}]}"# }
        check(reply(#"{"series":[\#(many.joined(separator: ","))]}"#), mustAnswer: true, "70 series")
    }

    @Test("forms it leaves to the Decodable path, which still reads them")
    func declined() throws {
        let forms = [
            #"{"code":"10000","data":{"series":[]}}"#,                    // code as a string
            #"{"code":10000,"data":null}"#,                               // no data
            #"{"code":10000,"data":{"series":[],"series":[]}}"#,          // a duplicate key
            #"{"code":10000,"data":{"series":[1]}}"#,                     // a series that is not an object
            #"{"code":10000,"data":{"series":[{"labels":{"a":1.5}}]}}"#,  // a label number with a fraction
            #"{"code":10000,"data":{"series":[{"data_points":[[1,2,3]]}]}}"#,  // a sample of three
            #"{"code":10000,"data":{"series":[{"data_points":[{"timestamp":true}]}]}}"#,
            #"{"code":10000,"data":{"series":[{"labels":{"\u0061":"x"}}]}}"#,  // an escaped key
            #"{"code":10000,"data":{"series":[]}} x"#,                    // bytes after the reply
        ]
        for form in forms {
            #expect(MetricsFastPath.decode(Data(form.utf8)) == nil, "\(form)")
        }
        // The client still answers them as before.
        #expect(try HTTPPodService.metricsAnswer(status: 200, body: Data(forms[1].utf8)) == .noData)
        let labelled = try HTTPPodService.metricsAnswer(status: 200, body: Data(
            #"{"code":10000,"data":{"series":[{"labels":{"a":1.5},"data_points":[{"timestamp":1780000000,"value":1}]}]}}"#.utf8))
        guard case .data(let metrics) = labelled else { Issue.record("no data: \(labelled)"); return }
        #expect(metrics.series.first?.labels == ["a": ""])
    }

    @Test("mutated bodies: when it answers, it answers what JSONDecoder does")
    func mutations() async {
        var rng = SeededRandom(seed: 0x3E7)
        let bodies = [
            simulatorShape(gpus: 2, points: 4, strings: false, rng: &rng),
            simulatorShape(gpus: 1, points: 3, strings: true, rng: &rng),
            reply(#"{"metricName":"g","series":[{"labels":{"i":0,"b":true},"values":[[1780000000.5,"1.5"],[1780000030,2]]}],"latestTotal":"80"}"#),
            reply(#"{"series":[{"labels":{"q":"a\"b"},"dataPoints":[{"time":"2026-05-28T21:46:40Z","value":"3"},{"timestamp":null}]}]}"#),
        ]
        let tokens: [[UInt8]] = ["null", "[", "]", "{", "}", "\"", ",", ":", "1e3", "-0", "9223372036854775808", "24.0",
                                 "\"\\u0000\"", "\"\\ud800\"", "true", "\"12\"", "NaN", "[1,2]", "日本", " ", "1e400"].map { Array($0.utf8) }
        for i in 0..<Self.iterations {
            var bytes = Array(bodies[i % bodies.count])
            ByteMutation.mutate(&bytes, tokens: tokens, rng: &rng)
            check(Data(bytes))
            if i % 200 == 0 { await Task.yield() }
        }
    }
}
