//! The class gradebook (instructor build): the roster CSV ([`roster`]),
//! each fork fetched privately at its deadline commit ([`forkgit`]),
//! results shared across identical forks ([`cache`]), the gradebook files
//! and shard merge ([`book`]), each exercise's outcome in words
//! ([`outcome`]), the per-student reports ([`report`]), the class page
//! ([`page`]), the job summary
//! ([`summary`]), RFC 3339
//! deadlines and extensions ([`deadline`]), the deadline snapshot
//! ([`snapshot`]), and the instructor's CSV files
//! ([`table`]).

pub mod book;
pub mod cache;
pub mod deadline;
pub mod forkgit;
pub mod outcome;
pub mod page;
pub mod report;
pub mod roster;
pub mod snapshot;
pub mod summary;
pub mod table;
