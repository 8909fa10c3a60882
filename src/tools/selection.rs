//! Which tools a request may see and call: toolsets and read-only mode.
//!
//! The server's configuration sets the widest selection; a request may
//! narrow it (`?readonly=true`, `?toolsets=users,roles`, or the
//! `X-MCP-Readonly` and `X-MCP-Toolsets` headers) but never widen it. A tool
//! outside the selection is absent from `tools/list` and unknown to
//! `tools/call`.

use std::fmt;

use super::Annotations;

/// A group of related tools that can be switched on or off together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Toolset {
    Organizations,
    Members,
    Invitations,
    Users,
    Sessions,
    Roles,
    Instance,
    Access,
    Billing,
}

impl Toolset {
    pub const ALL: [Toolset; 9] = [
        Toolset::Organizations,
        Toolset::Members,
        Toolset::Invitations,
        Toolset::Users,
        Toolset::Sessions,
        Toolset::Roles,
        Toolset::Instance,
        Toolset::Access,
        Toolset::Billing,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Toolset::Organizations => "organizations",
            Toolset::Members => "members",
            Toolset::Invitations => "invitations",
            Toolset::Users => "users",
            Toolset::Sessions => "sessions",
            Toolset::Roles => "roles",
            Toolset::Instance => "instance",
            Toolset::Access => "access",
            Toolset::Billing => "billing",
        }
    }

    const fn bit(self) -> u16 {
        1 << (self as u8)
    }
}

/// A set of toolsets.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Toolsets(u16);

impl Toolsets {
    pub const ALL: Toolsets = Toolsets((1 << Toolset::ALL.len()) - 1);

    /// What a connection that names no toolsets gets, unless
    /// `MCP_DEFAULT_TOOLSETS` says otherwise: all but the instance's
    /// settings and billing, which most conversations never need and
    /// every conversation would pay for in context.
    pub const DEFAULT: Toolsets =
        Toolsets(Toolsets::ALL.0 & !Toolset::Instance.bit() & !Toolset::Billing.bit());

    /// Reads a comma-separated list of toolset names (`users, roles`).
    /// `Err` carries the first unknown name.
    pub fn parse(list: &str) -> Result<Toolsets, String> {
        let mut set = 0;
        for name in list
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
        {
            let toolset = Toolset::ALL
                .into_iter()
                .find(|toolset| toolset.name().eq_ignore_ascii_case(name))
                .ok_or_else(|| name.chars().take(40).collect::<String>())?;
            set |= toolset.bit();
        }
        Ok(Toolsets(set))
    }

    /// One bit per toolset, in [`Toolset::ALL`] order.
    pub fn bits(self) -> u16 {
        self.0
    }

    /// The toolsets in both sets.
    pub fn and(self, other: Toolsets) -> Toolsets {
        Toolsets(self.0 & other.0)
    }

    pub fn contains(self, toolset: Toolset) -> bool {
        self.0 & toolset.bit() != 0
    }

    /// The names of the toolsets in the set, in [`Toolset::ALL`] order.
    pub fn names(self) -> Vec<&'static str> {
        Toolset::ALL
            .into_iter()
            .filter(|toolset| self.contains(*toolset))
            .map(Toolset::name)
            .collect()
    }
}

impl fmt::Debug for Toolsets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}

/// Which writes wait for a person's yes before they are made: the
/// server's `MCP_CONFIRM`, which a connection may raise (`?confirm=`,
/// `X-MCP-Confirm`) but never lower. Ordered from least to most asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Confirm {
    /// None: every call acts at once, for automation.
    Off,
    /// The destructive tools (`destructiveHint: true`).
    Destructive,
    /// Every tool that writes.
    Writes,
}

impl Confirm {
    pub const ALL: [Confirm; 3] = [Confirm::Off, Confirm::Destructive, Confirm::Writes];

    pub fn name(self) -> &'static str {
        match self {
            Confirm::Off => "off",
            Confirm::Destructive => "destructive",
            Confirm::Writes => "writes",
        }
    }

    /// Reads `off`, `destructive` or `writes`, in any case.
    pub fn parse(value: &str) -> Option<Confirm> {
        let value = value.trim();
        Confirm::ALL
            .into_iter()
            .find(|level| level.name().eq_ignore_ascii_case(value))
    }

    /// Whether a call of a tool with these annotations waits for a yes.
    pub fn covers(self, annotations: Annotations) -> bool {
        match self {
            Confirm::Off => false,
            Confirm::Destructive => annotations.destructive,
            Confirm::Writes => !annotations.read_only,
        }
    }
}

/// The tools a request may see and call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Selection {
    /// Only tools that read.
    pub read_only: bool,
    pub toolsets: Toolsets,
}

impl Selection {
    /// Every tool.
    pub const EVERYTHING: Selection = Selection {
        read_only: false,
        toolsets: Toolsets::ALL,
    };

    /// What both selections allow: a request's wishes can only remove tools
    /// from what the server allows.
    pub fn narrowed_by(self, request: Selection) -> Selection {
        Selection {
            read_only: self.read_only || request.read_only,
            toolsets: self.toolsets.and(request.toolsets),
        }
    }

    /// Whether a tool of `toolset` (or of none: those every selection
    /// has) that reads only (or not) is selected.
    pub fn allows(self, toolset: Option<Toolset>, read_only: bool) -> bool {
        toolset.is_none_or(|toolset| self.toolsets.contains(toolset))
            && (read_only || !self.read_only)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toolset_lists_are_read_case_insensitively_and_unknown_names_are_named() {
        let set = Toolsets::parse(" Users, roles ,").expect("valid");
        assert_eq!(set.names(), ["users", "roles"]);
        assert_eq!(
            Toolsets::parse("users,payments"),
            Err("payments".to_owned())
        );
    }

    #[test]
    fn a_request_can_narrow_but_never_widen() {
        let server = Selection {
            read_only: true,
            toolsets: Toolsets::parse("users,roles").expect("valid"),
        };
        let request = Selection {
            read_only: false,
            toolsets: Toolsets::parse("users,organizations").expect("valid"),
        };
        let effective = server.narrowed_by(request);
        assert!(effective.read_only);
        assert_eq!(effective.toolsets.names(), ["users"]);
    }

    #[test]
    fn read_only_selection_allows_only_reading_tools() {
        let selection = Selection {
            read_only: true,
            toolsets: Toolsets::ALL,
        };
        assert!(selection.allows(Some(Toolset::Users), true));
        assert!(!selection.allows(Some(Toolset::Users), false));
        assert!(selection.allows(None, true));
    }
}
