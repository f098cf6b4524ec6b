import Hummingbird
import NIOCore

/// The request context: Hummingbird's core storage plus the channel, so the `drop` fault can
/// close the connection without a reply.
struct SimContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
