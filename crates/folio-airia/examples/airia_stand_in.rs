//! Runs the Airia stand-in on loopback until its standard input closes, for the desktop
//! app's end-to-end journey (scripts/test.sh). Arguments: the API key it accepts and the
//! pipeline id it knows. Prints one JSON line first: `{"base_url": "http://127.0.0.1:PORT/api/"}`.

use folio_airia::stand_in::StandIn;
use std::io::Read;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [key, pipeline] = args.as_slice() else {
        eprintln!("usage: airia_stand_in API_KEY PIPELINE_ID");
        std::process::exit(2);
    };
    let stand_in = StandIn::start(key, pipeline);
    println!("{}", serde_json::json!({ "base_url": stand_in.base_url() }));
    // Until the journey closes our stdin (or kills us).
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
}
