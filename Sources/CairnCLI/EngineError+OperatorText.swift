import CairnEngine

extension EngineError {
    /// The message with what lies underneath (the file and the reason), for an operator's terminal.
    var operatorText: String { detail.map { "\(message): \($0)" } ?? message }
}
