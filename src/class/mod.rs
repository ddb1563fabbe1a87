//! The class gradebook (instructor build): the roster CSV ([`roster`]),
//! each fork fetched privately at its deadline commit ([`forkgit`]),
//! results shared across identical forks ([`cache`]), the gradebook files
//! and shard merge ([`book`]), the job summary ([`summary`]), and RFC 3339
//! deadlines ([`timestamp`]).

pub mod book;
pub mod cache;
pub mod forkgit;
pub mod roster;
pub mod summary;
pub mod timestamp;
