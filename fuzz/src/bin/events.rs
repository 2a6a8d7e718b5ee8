//! Fuzz target: any bytes as `events.toml` (see `calfeed_fuzz::events`).
fn main() {
    afl::fuzz!(|data: &[u8]| calfeed_fuzz::events(data));
}
