internal import CPangoCairo

/// Unicode normalisation through GLib, so text renders the same however it was composed.
public enum TextNormalization {
    /// The NFC (canonically composed) form of `text`: decomposed "Hải Phòng" becomes precomposed.
    public static func nfc(_ text: String) -> String {
        // Pure ASCII is already NFC; skipping GLib keeps the common case free.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        guard let normalized = g_utf8_normalize(text, -1, G_NORMALIZE_NFC) else { return text }
        defer { g_free(normalized) }
        return String(cString: normalized)
    }
}
