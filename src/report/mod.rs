//! Reporters: each renders the one [`Grade`](crate::grade::Grade) model.

pub mod terminal;
