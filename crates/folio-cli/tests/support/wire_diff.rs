//! Shared by the SDK conformance tests: one case's requests as the SDK and Folio sent
//! them, reduced to what matters on the wire, side by side when they differ.

use serde_json::Value;

/// None when Folio sent what the SDK sent; else the case's failure, both sides shown.
pub fn difference(case: &str, sdk: &[Value], folio: &[Value]) -> Option<String> {
    (sdk != folio).then(|| {
        format!(
            "{case}:\n  SDK:   {}\n  Folio: {}",
            serde_json::to_string_pretty(sdk).unwrap(),
            serde_json::to_string_pretty(folio).unwrap()
        )
    })
}
