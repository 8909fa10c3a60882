//! The MCP protocol versions this server speaks.

/// A supported protocol version (MCP Lifecycle: Version Negotiation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProtocolVersion {
    V2025_03_26,
    V2025_06_18,
    V2025_11_25,
}

impl ProtocolVersion {
    pub const LATEST: ProtocolVersion = ProtocolVersion::V2025_11_25;

    /// What a request without `MCP-Protocol-Version` is taken to speak
    /// (MCP 2025-06-18, Transports: Protocol Version Header).
    pub const ASSUMED_WITHOUT_HEADER: ProtocolVersion = ProtocolVersion::V2025_03_26;

    pub const ALL: [ProtocolVersion; 3] = [
        ProtocolVersion::V2025_03_26,
        ProtocolVersion::V2025_06_18,
        ProtocolVersion::V2025_11_25,
    ];

    pub fn parse(text: &str) -> Option<ProtocolVersion> {
        Self::ALL
            .into_iter()
            .find(|version| version.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ProtocolVersion::V2025_03_26 => "2025-03-26",
            ProtocolVersion::V2025_06_18 => "2025-06-18",
            ProtocolVersion::V2025_11_25 => "2025-11-25",
        }
    }

    /// `resource_link` content exists since 2025-06-18.
    pub fn has_resource_links(self) -> bool {
        self >= ProtocolVersion::V2025_06_18
    }

    /// JSON-RPC batches exist in 2025-03-26 only; 2025-06-18 removed them.
    pub fn allows_batches(self) -> bool {
        self == ProtocolVersion::V2025_03_26
    }
}
