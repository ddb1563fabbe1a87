//! What course authors and instructors build from the course (instructor
//! build): `verify`'s overlay trees ([`overlay`]) and its mutants and
//! alternatives ([`variants`]), the student copy ([`template`]) and the
//! Gradescope autograder zip ([`package`]).

pub mod markers;
pub mod overlay;
pub mod package;
pub mod template;
pub mod variants;
