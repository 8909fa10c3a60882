//! A question a tool may put to the user before it answers: which of a few
//! values one of its arguments was meant to have. A tool asks only when the
//! call says the client can put a question to its user; the MCP layer turns
//! the question into the client's form and, when the user picks a value,
//! calls the tool again with it.

/// Which of `choices` the user meant for `argument`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    /// The argument the chosen value replaces (`slug`).
    pub argument: &'static str,
    /// What the choice is of, as a form shows it (`Organization`).
    pub title: &'static str,
    /// What the user is told and asked.
    pub message: String,
    /// The values to choose from, at most [`MAX_CHOICES`].
    pub choices: Vec<Choice>,
}

/// One value the user may choose, and how it is shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// The most values a question offers.
pub const MAX_CHOICES: usize = 5;
