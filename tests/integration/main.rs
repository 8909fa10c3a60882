//! The native behaviour tests, one binary that drives the Worker's entry
//! point with a fake Clerk (`support`). Each module covers one area: the
//! protocol and its transport, access and OAuth, each group of tools, bad
//! input and Clerk's failures, and the replay of the kept fuzz inputs.

mod support;

mod access;
mod access_tools;
mod audit;
mod bad_input;
mod bulk_tools;
mod clerk_faults;
mod confirmation;
mod fence;
mod front_door;
mod fuzz_regressions;
mod instance_billing_tools;
mod invitation_tools;
mod keys_and_health;
mod liberal_reading;
mod member_tools;
mod oauth;
mod organization_tools;
mod preview;
mod production_guard;
mod prompts;
mod protocol;
mod read_only_tokens;
mod read_only_users;
mod resources;
mod role_tools;
mod selection;
mod session_tools;
mod sized_results;
mod stateless;
mod tool_list_size;
mod transport;
mod user_tools;
mod whoami;
