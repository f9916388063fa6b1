// libFuzzer harness for the JSON parser and the MapLibre style parser; built and run by scripts/fuzz.
import CairnCore
import CairnStyle
import Foundation

/// Properties checked on every input:
/// - neither the JSON parser nor the style parser traps (bad input is a thrown error);
/// - JSON that parses writes back to text that parses to an equal value, and that text is a
///   fixed point (writing it again gives the same bytes): responses and round-tripped `metadata`
///   are exact.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStyleJSON(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: data, count: size))
    if let value = try? JSONParser.parse(bytes) {
        let text = value.text
        let again: JSONValue
        do {
            again = try JSONParser.parse(Array(text.utf8))
        } catch {
            fatalError("written JSON does not parse: \(error.message) in \(text.prefix(200))")
        }
        if again != value { fatalError("JSON round trip changed the value: \(text.prefix(200))") }
        if again.text != text { fatalError("JSON text is not a fixed point: \(text.prefix(200))") }
    }
    _ = try? Style.parse(Data(bytes), path: "fuzz.json")
    return 0
}
