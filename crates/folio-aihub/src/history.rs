//! The chat of each AI Hub conversation, kept on this computer: AI Hub answers prompts
//! but has no call that reads them back, so without this record a chat would be empty
//! after the app restarts. One JSON line per turn, one file per conversation, appended
//! and flushed as each answer arrives; a line torn by a crash is skipped on reading.

use folio_core::ChatTurn;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct HistoryLog {
    dir: PathBuf,
}

impl HistoryLog {
    /// Turns are kept in `dir` (created on the first one). Give each AI Hub account its
    /// own folder: conversation ids are only unique within one.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        HistoryLog { dir: dir.into() }
    }

    /// The folder name for an account: its API root and IB-Context, made safe for any
    /// file system.
    pub fn account_folder(api_root: &str, ib_context: Option<&str>) -> String {
        let raw = format!("{api_root} {}", ib_context.unwrap_or(""));
        raw.trim().chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c } else { '_' }).collect()
    }

    fn path(&self, conversation_id: &str) -> PathBuf {
        let safe: String =
            conversation_id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
        self.dir.join(format!("{safe}.jsonl"))
    }

    pub fn append(&self, conversation_id: &str, turn: &ChatTurn) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let path = self.path(conversation_id);
        let mut line = serde_json::to_vec(turn).map_err(std::io::Error::other)?;
        line.push(b'\n');
        // After a crash mid-line, start on a fresh line so this turn is not lost too.
        if ends_mid_line(&path)? {
            line.insert(0, b'\n');
        }
        let mut file = std::fs::OpenOptions::new().create(true).append(true).open(&path)?;
        file.write_all(&line)?;
        file.sync_data()
    }

    /// Every turn recorded for the conversation, oldest first (none when never asked).
    pub fn read(&self, conversation_id: &str) -> std::io::Result<Vec<ChatTurn>> {
        read_lines(&self.path(conversation_id))
    }

    pub fn remove(&self, conversation_id: &str) -> std::io::Result<()> {
        match std::fs::remove_file(self.path(conversation_id)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

fn ends_mid_line(path: &Path) -> std::io::Result<bool> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    if file.metadata()?.len() == 0 {
        return Ok(false);
    }
    file.seek(SeekFrom::End(-1))?;
    let mut last = [0u8];
    file.read_exact(&mut last)?;
    Ok(last[0] != b'\n')
}

fn read_lines(path: &Path) -> std::io::Result<Vec<ChatTurn>> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut turns = Vec::new();
    for line in std::io::BufReader::new(file).lines() {
        if let Ok(turn) = serde_json::from_str::<ChatTurn>(&line?) {
            turns.push(turn);
        }
    }
    Ok(turns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use folio_core::{Answer, AnswerKind};

    fn turn(question: &str) -> ChatTurn {
        ChatTurn {
            question: question.into(),
            answer: Answer {
                prompt_id: "1".into(),
                text: format!("About {question}"),
                sources: vec![],
                kind: AnswerKind::Generated,
                sentences: vec![],
            },
            asked_at: Some(chrono::Utc::now()),
        }
    }

    #[test]
    fn turns_come_back_in_order_per_conversation_and_a_torn_line_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let log = HistoryLog::new(dir.path().join("https___aihub.instabase.com_api_org"));
        assert!(log.read("c1").unwrap().is_empty());
        log.append("c1", &turn("rent")).unwrap();
        log.append("c2", &turn("elsewhere")).unwrap();
        log.append("c1", &turn("deposit")).unwrap();
        // A crash mid-write leaves half a line at the end.
        let mut file = std::fs::OpenOptions::new().append(true).open(log.path("c1")).unwrap();
        file.write_all(b"{\"question\":\"cut").unwrap();

        let again = HistoryLog::new(dir.path().join("https___aihub.instabase.com_api_org"));
        again.append("c1", &turn("keys")).unwrap();
        let questions: Vec<String> = again.read("c1").unwrap().into_iter().map(|t| t.question).collect();
        assert_eq!(questions, ["rent", "deposit", "keys"]);
        again.remove("c1").unwrap();
        assert!(again.read("c1").unwrap().is_empty());
        again.remove("c1").unwrap();
        assert_eq!(again.read("c2").unwrap().len(), 1);
    }

    #[test]
    fn ids_and_accounts_become_safe_file_names() {
        let dir = tempfile::tempdir().unwrap();
        let log = HistoryLog::new(dir.path());
        assert_eq!(log.path("../../etc/passwd").file_name().unwrap(), "______etc_passwd.jsonl");
        assert_eq!(
            HistoryLog::account_folder("https://aihub.instabase.com/api", Some("org-1")),
            "https___aihub.instabase.com_api_org-1"
        );
    }
}
