//! Fuzz target: events near daylight saving changes (see `calfeed_fuzz::dst`).
fn main() {
    afl::fuzz!(|data: &[u8]| calfeed_fuzz::dst(data));
}
