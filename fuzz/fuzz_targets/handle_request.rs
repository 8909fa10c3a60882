//! Arbitrary bytes, decoded into a configuration, an HTTP request and a
//! fake Clerk's answers, through the Worker's entry point; see
//! `../harness.rs` for the layout and the invariants.

#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::run(data));
