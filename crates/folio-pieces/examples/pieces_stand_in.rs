//! Runs the Pieces OS stand-in on loopback until its standard input closes, for the
//! desktop app's end-to-end journey (scripts/test.sh). Prints one JSON line first:
//! `{"address": "http://127.0.0.1:PORT"}`.

use folio_pieces::stand_in::StandIn;
use std::io::Read;

fn main() {
    let stand_in = StandIn::start();
    println!("{}", serde_json::json!({ "address": stand_in.address() }));
    // Until the journey closes our stdin (or kills us).
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
}
