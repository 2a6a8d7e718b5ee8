//! Parses an events.toml with the `toml` crate into typed structs mirroring its schema, and
//! prints how many events and feeds it holds: the least work any tool reading the file must do.
//!
//! usage: calfeed-bench-floor FILE

use std::collections::BTreeMap;
use std::process::ExitCode;

use serde::Deserialize;
use toml::value::Datetime;

/// A text in one language or a table of languages.
#[derive(Deserialize)]
#[serde(untagged)]
#[allow(dead_code)]
enum Text {
    Plain(String),
    Localized(BTreeMap<String, String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct File {
    calendar: Calendar,
    #[serde(default)]
    feed: Vec<Feed>,
    #[serde(default)]
    event: Vec<Event>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Calendar {
    name: Text,
    description: Option<Text>,
    timezone: Option<String>,
    domain: String,
    url: Option<String>,
    refresh: Option<String>,
    language: Option<String>,
    timezones: Option<String>,
    default_duration: Option<String>,
    tentative_marker: Option<Text>,
    cancelled_marker: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Feed {
    name: String,
    title: Text,
    description: Option<Text>,
    #[serde(default)]
    countries: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    status: Vec<String>,
    language: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Geo {
    lat: f64,
    lon: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Event {
    id: String,
    title: Text,
    start: Datetime,
    end: Option<Datetime>,
    duration: Option<String>,
    timezone: Option<String>,
    status: Option<String>,
    location: Option<Text>,
    geo: Option<Geo>,
    description: Option<Text>,
    url: Option<String>,
    #[serde(default)]
    participants: Vec<Text>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    countries: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    updated: Option<Datetime>,
    sequence: Option<u32>,
}

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: calfeed-bench-floor FILE");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("cannot read {}: {e}", path.to_string_lossy());
            return ExitCode::from(1);
        }
    };
    match toml::from_str::<File>(&text) {
        Ok(file) => {
            println!("{} events, {} feeds", file.event.len(), file.feed.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: {e}", path.to_string_lossy());
            ExitCode::from(1)
        }
    }
}
