//! The roles tools.

use super::ToolDefinition;

pub static TOOLS: [ToolDefinition; 0] = [];
