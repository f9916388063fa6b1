/// How the service describes itself to GIS clients (WMTS ServiceIdentification and
/// ServiceProvider, the OGC API landing page): `service:` in the configuration.
public struct ServiceDescription: Sendable, Equatable {
    public var title: String = "Cairn"
    public var abstract: String?
    public var keywords: [String] = []
    public var fees: String?
    public var accessConstraints: String?
    public var providerName: String?
    public var providerSite: String?
    public var contactName: String?
    public var contactEmail: String?

    public init() {}
}
