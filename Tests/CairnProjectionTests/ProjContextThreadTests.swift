import CairnCore
import CairnProj
import CairnProjection
import Foundation
import Testing

/// Each thread gets its own PROJ context, and transformations on several threads at once agree.
struct ProjContextThreadTests {
    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var contexts: [ObjectIdentifier] = []
        private var outputs: [[Point]] = []
        private var errors: [String] = []

        func record(context: ObjectIdentifier, output: [Point]) {
            lock.withLock {
                contexts.append(context)
                outputs.append(output)
            }
        }

        func record(error: String) { lock.withLock { errors.append(error) } }
        var snapshot: (contexts: [ObjectIdentifier], outputs: [[Point]], errors: [String]) {
            lock.withLock { (contexts, outputs, errors) }
        }
    }

    static func samplePoints() -> [Point] {
        var generator = SeededGenerator(seed: 7)
        return (0..<5_000).map { _ in Point(570_000 + generator.unit() * 130_000, 2_230_000 + generator.unit() * 95_000) }
    }

    @Test func sameThreadGetsSameContext() {
        #expect(ProjContext.forCurrentThread() === ProjContext.forCurrentThread())
    }

    @Test func concurrentThreadsUseOwnContexts() throws {
        let input = Self.samplePoints()
        var expected = input
        try ProjTransformation(from: .epsg(9210), to: .webMercator, context: ProjContext()).transform(&expected)

        let threadCount = 4
        let results = Results()
        let allStarted = DispatchGroup()
        let finished = DispatchGroup()
        let release = DispatchSemaphore(value: 0)
        for _ in 0..<threadCount {
            allStarted.enter()
            finished.enter()
            let thread = Thread {
                defer { finished.leave() }
                let context = ProjContext.forCurrentThread()
                allStarted.leave()
                release.wait()  // keep every thread (and its context) alive until all have one
                do {
                    let transformation = try ProjTransformation(from: .epsg(9210), to: .webMercator, context: context)
                    var output = input
                    for _ in 0..<3 {
                        output = input
                        try transformation.transform(&output)
                    }
                    #expect(ProjContext.forCurrentThread() === context)
                    results.record(context: ObjectIdentifier(context), output: output)
                } catch {
                    results.record(error: "\(error)")
                }
            }
            thread.start()
        }
        allStarted.wait()
        for _ in 0..<threadCount { release.signal() }
        finished.wait()

        let snapshot = results.snapshot
        #expect(snapshot.errors.isEmpty, "\(snapshot.errors)")
        #expect(Set(snapshot.contexts).count == threadCount)
        for output in snapshot.outputs {
            #expect(output == expected)
        }
    }
}
