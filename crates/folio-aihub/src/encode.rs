//! Percent-encoding exactly as the SDK does it with Python's `urllib.parse.quote`.
//! Rust's usual form encoding writes a space as `+`; AI Hub's SDK writes `%20`.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// `quote(v, safe='')`: everything but `A-Z a-z 0-9 _ . - ~` is encoded, `/` included.
/// Used for path parameters (`[0.13] aihub/api_client.py:199-204`).
const PATH_PARAM: &AsciiSet = &NON_ALPHANUMERIC.remove(b'_').remove(b'.').remove(b'-').remove(b'~');

/// `quote(v)` with its default `safe='/'`: as above but `/` stays. Used for query values.
const QUERY_VALUE: &AsciiSet = &PATH_PARAM.remove(b'/');

pub fn path_param(value: &str) -> String {
    utf8_percent_encode(value, PATH_PARAM).to_string()
}

pub fn query_value(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

/// `k=quote(v)&...` in the given order, like `parameters_to_url_query`.
pub fn query_string(pairs: &[(&str, String)]) -> String {
    pairs.iter().map(|(k, v)| format!("{k}={}", query_value(v))).collect::<Vec<_>>().join("&")
}

/// Multipart filenames as urllib3 writes them (HTML5 rules): the name is kept as UTF-8,
/// only `"`, CR and LF are percent-escaped so the header stays well formed.
pub fn multipart_filename(name: &str) -> String {
    name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_params_encode_slash_and_space() {
        assert_eq!(path_param("a/b c"), "a%2Fb%20c");
        assert_eq!(path_param("x_y.z-~1"), "x_y.z-~1");
    }

    #[test]
    fn query_values_match_python_quote() {
        assert_eq!(query_value("New name & x"), "New%20name%20%26%20x");
        assert_eq!(query_value("desc/é"), "desc/%C3%A9");
        assert_eq!(query_value("a+b=c?"), "a%2Bb%3Dc%3F");
    }

    #[test]
    fn query_string_keeps_order() {
        let q = query_string(&[("name", "N 1".into()), ("description", "d".into())]);
        assert_eq!(q, "name=N%201&description=d");
    }
}
