//! An incremental parser for Airia's server-sent events, and the assembly of a streamed
//! answer from them. Bytes arrive in chunks that may split a block, a line, or a UTF-8
//! character anywhere; a block is only read once its blank line has arrived, so nothing
//! is decoded half. Blocks are `event: <MessageType>` + `data: <json>` lines (the SDK's
//! `sse_parser.py`); `\r\n` line ends are accepted too.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct SseEvent {
    pub event: String,
    pub data: Value,
}

#[derive(Debug, Default)]
pub struct SseParser {
    buffer: Vec<u8>,
}

impl SseParser {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a chunk and returns the events it completed. A block with bad JSON is an
    /// error (the SDK raises on it too); a block without event or data is skipped.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Vec<SseEvent>, String> {
        self.buffer.extend_from_slice(chunk);
        let mut events = Vec::new();
        while let Some((end, sep)) = block_end(&self.buffer) {
            let block: Vec<u8> = self.buffer.drain(..end + sep).take(end).collect();
            if let Some(event) = parse_block(&block)? {
                events.push(event);
            }
        }
        Ok(events)
    }

    /// Bytes received after the last complete block (non-empty: the stream was cut
    /// inside a block).
    pub fn pending(&self) -> usize {
        self.buffer.iter().filter(|b| !b.is_ascii_whitespace()).count()
    }
}

/// Where the first block ends and how long its separator is (`\n\n` or `\r\n\r\n`).
fn block_end(buf: &[u8]) -> Option<(usize, usize)> {
    let mut i = 0;
    while i + 1 < buf.len() {
        if buf[i] == b'\n' {
            if buf[i + 1] == b'\n' {
                return Some((i, 2));
            }
            if buf[i + 1] == b'\r' && buf.get(i + 2) == Some(&b'\n') {
                return Some((i, 3));
            }
        }
        i += 1;
    }
    None
}

fn parse_block(block: &[u8]) -> Result<Option<SseEvent>, String> {
    let text = std::str::from_utf8(block).map_err(|e| format!("an event is not UTF-8 text ({e})"))?;
    let (mut event, mut data) = (None, String::new());
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if let Some(v) = line.strip_prefix("event:") {
            event = Some(v.trim().to_string());
        } else if let Some(v) = line.strip_prefix("data:") {
            // Several data lines join with a newline (the SSE standard).
            if !data.is_empty() {
                data.push('\n');
            }
            data.push_str(v.trim());
        }
    }
    match (event, data.is_empty()) {
        (Some(event), false) => {
            let data =
                serde_json::from_str(&data).map_err(|e| format!("the data of a {event} event is not JSON ({e})"))?;
            Ok(Some(SseEvent { event, data }))
        }
        _ => Ok(None),
    }
}

/// The answer being assembled from events: text fragments in order, and whether Airia
/// said it is done. Unknown event types (there are 26) are counted and ignored.
#[derive(Debug, Default, Clone)]
pub struct StreamState {
    pub text: String,
    /// The last `AgentOutputMessage.stepResult`: the whole output of a step.
    pub step_result: Option<String>,
    pub execution_id: Option<String>,
    pub finished: bool,
    pub events: usize,
}

pub enum Step<'a> {
    /// New text to show.
    Text(&'a str),
    Nothing,
    /// Airia reported a failure.
    Failed(String),
}

impl StreamState {
    pub fn apply<'a>(&mut self, event: &'a SseEvent) -> Step<'a> {
        self.events += 1;
        let field = |k: &str| event.data.get(k).and_then(Value::as_str);
        if self.execution_id.is_none() {
            self.execution_id = field("executionId").map(str::to_string);
        }
        match event.event.as_str() {
            "AgentModelStreamFragmentMessage" | "ModelStreamFragment" => {
                match event.data.get("content").and_then(Value::as_str) {
                    Some(piece) if !piece.is_empty() => {
                        self.text.push_str(piece);
                        Step::Text(piece)
                    }
                    _ => Step::Nothing,
                }
            }
            "AgentOutputMessage" => {
                self.step_result = field("stepResult").map(str::to_string);
                Step::Nothing
            }
            // The model's stream or the whole agent ended: the answer is complete.
            "AgentModelStreamEndMessage" | "AgentEndMessage" => {
                self.finished = true;
                Step::Nothing
            }
            "AgentModelStreamErrorMessage" | "AgentAgentCardStreamErrorMessage" => {
                Step::Failed(field("errorMessage").unwrap_or("no reason given").to_string())
            }
            _ => Step::Nothing,
        }
    }

    /// The whole answer: the streamed text, or the step's result when nothing streamed.
    pub fn answer(&self) -> String {
        if self.text.is_empty() {
            self.step_result.clone().unwrap_or_default()
        } else {
            self.text.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STREAM: &str = "event: AgentPingMessage\ndata: {\"timestamp\":\"2025-01-01T00:00:00Z\"}\n\n\
event: AgentModelStreamFragmentMessage\ndata: {\"index\":0,\"content\":\"Größe \"}\n\n\
event: AgentModelStreamFragmentMessage\r\ndata: {\"index\":1,\"content\":\"14 pt [1]\"}\r\n\r\n\
event: AgentModelStreamEndMessage\ndata: {\"contentId\":\"c\"}\n\n";

    fn run(chunks: &[&[u8]]) -> (String, bool) {
        let mut parser = SseParser::new();
        let mut state = StreamState::default();
        for c in chunks {
            for e in parser.push(c).unwrap() {
                state.apply(&e);
            }
        }
        (state.text, state.finished)
    }

    #[test]
    fn every_split_point_gives_the_same_answer() {
        let bytes = STREAM.as_bytes();
        let whole = run(&[bytes]);
        assert_eq!(whole, ("Größe 14 pt [1]".to_string(), true));
        for cut in 1..bytes.len() {
            assert_eq!(run(&[&bytes[..cut], &bytes[cut..]]), whole, "split at {cut}");
        }
        let singles: Vec<&[u8]> = bytes.chunks(1).collect();
        assert_eq!(run(&singles), whole);
    }

    #[test]
    fn a_cut_inside_a_block_is_pending_and_unfinished() {
        let bytes = STREAM.as_bytes();
        let mut parser = SseParser::new();
        let events = parser.push(&bytes[..120]).unwrap();
        assert!(events.len() < 4);
        assert!(parser.pending() > 0);
    }

    #[test]
    fn bad_json_is_an_error_naming_the_event() {
        let err = SseParser::new().push(b"event: AgentOutputMessage\ndata: {nope\n\n").unwrap_err();
        assert!(err.contains("AgentOutputMessage"), "{err}");
    }
}
