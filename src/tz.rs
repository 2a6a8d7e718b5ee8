//! Time zones: which copy of the IANA tz database is used, the wall-time questions asked of a
//! zone, its exact transitions, and the `VTIMEZONE` components generated from them.
//!
//! The data comes through jiff, from the copy of the database inside calfeed or from a folder of
//! compiled TZif files such as the system's ([`db`]). A [`Zone`] answers what the clocks read
//! at an instant and which instants a wall-clock reading names ([`zone`]); [`transitions()`] lists
//! its changes exactly, as the database has them; [`vtimezone()`] turns them into the
//! `VTIMEZONE` a feed carries.

pub mod db;
pub mod transitions;
pub mod vtimezone;
pub mod zone;

pub use db::{Choice, Origin, TzdataError, Tzdb, database, select};
pub use transitions::{Transition, sample_instants, transitions};
pub use vtimezone::{DayRule, Kind, Observance, Vtimezone, Yearly, format_offset, vtimezone};
pub use zone::{Abbreviation, State, WallTime, Zone};

#[cfg(test)]
mod tests;
