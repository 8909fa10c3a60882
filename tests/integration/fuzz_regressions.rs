//! Replays every input kept in `fuzz/regressions/` (crash reproducers and
//! a varied sample of the fuzzer's corpus) through the same decoding and
//! invariants as the `handle_request` fuzz target, so that a fixed crash
//! stays fixed without a fuzzer installed.

#[path = "../../fuzz/harness.rs"]
mod harness;

use std::fs;
use std::panic;
use std::path::{Path, PathBuf};

#[test]
fn every_kept_fuzz_input_still_holds_the_invariants() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut inputs: Vec<PathBuf> = fs::read_dir(&folder)
        .expect("fuzz/regressions exists")
        .map(|entry| entry.expect("readable folder entry").path())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no kept fuzz inputs");
    let failed: Vec<String> = inputs
        .iter()
        .filter(|path| {
            let data = fs::read(path).expect("readable fuzz input");
            panic::catch_unwind(|| harness::run(&data)).is_err()
        })
        .filter_map(|path| path.file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .collect();
    assert!(
        failed.is_empty(),
        "inputs that break an invariant: {failed:?}"
    );
}
