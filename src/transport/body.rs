//! Reading a request body without ever holding more than the limit.

use std::future::Future;

/// The largest request body the server reads: 1 MiB.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// Why a body could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyError {
    /// The body is longer than the limit; reading stopped there.
    TooLarge,
    /// The body stream failed.
    Unreadable(String),
}

/// A request body that can be read up to a limit.
///
/// The Worker's implementation reads a body whose declared length is within
/// the limit in one piece; any other it reads chunk by chunk, stopping as
/// soon as the limit is passed, so an oversized body is never read whole.
pub trait RequestBody {
    fn read_limited(self, limit: usize) -> impl Future<Output = Result<Vec<u8>, BodyError>>;
}

/// A body already in memory, as native callers and tests have it.
impl RequestBody for Vec<u8> {
    async fn read_limited(self, limit: usize) -> Result<Vec<u8>, BodyError> {
        if self.len() > limit {
            Err(BodyError::TooLarge)
        } else {
            Ok(self)
        }
    }
}
