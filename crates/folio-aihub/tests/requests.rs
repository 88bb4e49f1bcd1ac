//! Every operation and flag, checked at the byte level on a recording server: method,
//! raw path and query, the headers that matter, multipart parts in order, JSON bodies.

mod common;

use common::{client, config, files, TOKEN};
use folio_aihub::testkit::{digest, Recorded, RecordedBody, RecordingServer, Reply};
use folio_aihub::{AiHubClient, CreateRequest, SDK_USER_AGENT};
use folio_core::{ConverseMode, CreateOptions, ListQuery, QueryModel, QuerySource, SortKey};
use serde_json::json;

fn assert_common_headers(r: &Recorded) {
    assert_eq!(r.header("authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(r.header("ib-context"), Some("org1"));
    assert_eq!(r.header("accept"), Some("application/json"));
    assert_eq!(r.header("user-agent"), Some(SDK_USER_AGENT));
}

fn assert_no_body(r: &Recorded) {
    assert_eq!(r.body, RecordedBody::Empty);
    assert_eq!(r.header("content-type"), None);
}

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[tokio::test]
async fn create_sends_every_flag_as_python_bools_then_one_files_part_per_file() {
    let server = RecordingServer::aihub();
    let dir = tempfile::tempdir().unwrap();
    let paths = files(&dir, &[("a.pdf", &folio_aihub::tiny_pdf(2)), ("b notes.txt", b"hello")]);
    let request = CreateRequest {
        name: "My conv".into(),
        description: Some("About things".into()),
        options: CreateOptions {
            org: Some("org1".into()),
            workspace: Some("ws".into()),
            enable_object_detection: Some(true),
            enable_entity_detection: Some(true),
            write_converted_image: Some(true),
            write_thumbnail: Some(true),
            fast_mode: Some(true),
            enable_multilanguage_support: Some(true),
            enable_multilanguage_advanced_mode: Some(true),
        },
    };
    let created = client(&server).create_conversation(&request, &paths).await.unwrap();
    assert_eq!(created.id, "conv-1");
    assert_eq!(created.upload_status.unwrap().success.unwrap().len(), 2);

    let [r] = server.requests().try_into().unwrap();
    assert_eq!((r.method.as_str(), r.path.as_str(), r.query.as_deref()), ("POST", "/api/v2/conversations", None));
    assert_common_headers(&r);
    assert_eq!(r.media_type().as_deref(), Some("multipart/form-data"));
    assert!(r.header("content-length").is_some(), "streamed files still give a Content-Length");
    assert_eq!(
        r.fields(),
        fields(&[
            ("name", "My conv"),
            ("description", "About things"),
            ("org", "org1"),
            ("workspace", "ws"),
            ("enable_object_detection", "True"),
            ("enable_entity_detection", "True"),
            ("write_converted_image", "True"),
            ("write_thumbnail", "True"),
            ("fast_mode", "True"),
            ("enable_multilanguage_support", "True"),
            ("enable_multilanguage_advanced_mode", "True"),
        ])
    );
    let parts = r.parts();
    let files: Vec<_> = parts.iter().skip(11).collect();
    assert_eq!(parts.len(), 13, "text fields, then the files");
    assert_eq!(files[0].name, "files");
    assert_eq!(files[0].filename.as_deref(), Some("a.pdf"));
    assert_eq!(files[0].content_type.as_deref(), Some("application/pdf"));
    assert_eq!(files[0].digest, digest(&folio_aihub::tiny_pdf(2)));
    assert_eq!(files[1].name, "files");
    assert_eq!(files[1].filename.as_deref(), Some("b notes.txt"), "filenames are not percent-encoded");
    assert_eq!(files[1].content_type.as_deref(), Some("text/plain"));
    assert_eq!((files[1].len, files[1].digest), (5, digest(b"hello")));
    assert!(parts.iter().take(11).all(|p| p.filename.is_none() && p.content_type.is_none()));
}

#[tokio::test]
async fn create_leaves_out_unset_fields_and_sends_false_as_false() {
    let server = RecordingServer::aihub();
    let dir = tempfile::tempdir().unwrap();
    let paths = files(&dir, &[("scan", b"\x00\x01")]);
    let request = CreateRequest {
        name: "Only name".into(),
        description: None,
        options: CreateOptions { enable_object_detection: Some(false), fast_mode: Some(false), ..Default::default() },
    };
    client(&server).create_conversation(&request, &paths).await.unwrap();
    let [r] = server.requests().try_into().unwrap();
    assert_eq!(
        r.fields(),
        fields(&[("name", "Only name"), ("enable_object_detection", "False"), ("fast_mode", "False")])
    );
    assert_eq!(r.parts()[3].content_type.as_deref(), Some("application/octet-stream"));
}

#[tokio::test]
async fn the_accounts_org_and_workspace_go_with_every_create_where_the_sdk_sends_them() {
    let server = RecordingServer::aihub();
    let dir = tempfile::tempdir().unwrap();
    let paths = files(&dir, &[("a.txt", b"hello")]);
    let client = AiHubClient::new(config(&server).with_account(Some("org1".into()), Some("team-ws".into()))).unwrap();
    let plain = CreateRequest { name: "Plain".into(), ..Default::default() };
    client.create_conversation(&plain, &paths).await.unwrap();
    let own = CreateRequest {
        name: "Own".into(),
        options: CreateOptions { workspace: Some("other-ws".into()), ..Default::default() },
        ..Default::default()
    };
    client.create_conversation(&own, &paths).await.unwrap();
    client.list_conversations(&ListQuery::default()).await.unwrap();
    client.add_documents("conv-1", &paths, true).await.unwrap();

    let [first, second, list, get, add] = server.requests().try_into().unwrap();
    assert_eq!(first.fields(), fields(&[("name", "Plain"), ("org", "org1"), ("workspace", "team-ws")]));
    assert_eq!(
        second.fields(),
        fields(&[("name", "Own"), ("org", "org1"), ("workspace", "other-ws")]),
        "a conversation's own workspace wins"
    );
    // The SDK sends them nowhere else: IB-Context names the account on every call.
    for r in [&first, &second, &list, &get, &add] {
        assert_eq!(r.header("ib-context"), Some("org1"));
        assert!(!r.query.as_deref().unwrap_or_default().contains("workspace"));
    }
    assert_eq!(add.fields(), fields(&[("process_files", "True")]));
    // Blank settings send nothing.
    let blank = AiHubClient::new(config(&server).with_account(Some(" ".into()), Some(String::new()))).unwrap();
    server.take();
    blank.create_conversation(&plain, &paths).await.unwrap();
    assert_eq!(server.requests()[0].fields(), fields(&[("name", "Plain")]));
}

#[tokio::test]
async fn settings_processing_flags_go_with_every_create_and_fast_mode_with_every_prompt() {
    let server = RecordingServer::aihub();
    let dir = tempfile::tempdir().unwrap();
    let paths = files(&dir, &[("a.txt", b"hello")]);
    let processing = folio_core::AiHubProcessing {
        object_detection: true,
        fast_mode: true,
        multilanguage: true,
        ..Default::default()
    };
    let backend = folio_aihub::AiHubBackend::new(config(&server).with_processing(&processing)).unwrap();
    use folio_core::Backend;
    backend
        .create_conversation(folio_core::NewConversation {
            name: "Scans".into(),
            files: paths.clone(),
            options: CreateOptions { enable_object_detection: Some(false), ..Default::default() },
            ..Default::default()
        })
        .await
        .unwrap();
    backend
        .converse(
            "conv-1",
            &folio_core::ConverseRequest { question: "Q?".into(), document_ids: vec![15], ..Default::default() },
        )
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(
        requests[0].fields(),
        fields(&[
            ("name", "Scans"),
            ("enable_object_detection", "False"),
            ("fast_mode", "True"),
            ("enable_multilanguage_support", "True")
        ]),
        "the conversation's own choice wins; flags left off are not sent"
    );
    let prompt = requests.iter().find(|r| r.path.ends_with("/prompts")).unwrap();
    assert_eq!(prompt.json().unwrap()["fast_mode"], json!(true), "converse matches the creation's fast mode");
}

#[tokio::test]
async fn ib_context_is_sent_only_when_set() {
    let server = RecordingServer::aihub();
    let client = AiHubClient::new(config(&server).with_ib_context(None)).unwrap();
    client.list_conversations(&ListQuery::default()).await.unwrap();
    let [r] = server.requests().try_into().unwrap();
    assert_eq!(r.header("ib-context"), None);
    assert_eq!(r.header("authorization"), Some(format!("Bearer {TOKEN}").as_str()));
}

#[tokio::test]
async fn list_sends_no_query_like_the_sdk_and_parses_summaries() {
    let server = RecordingServer::aihub();
    let list = client(&server).list_conversations(&ListQuery::default()).await.unwrap();
    let convs = list.conversations.unwrap();
    assert_eq!((convs.len(), convs[1].description.as_deref()), (2, None));
    let [r] = server.requests().try_into().unwrap();
    assert_eq!((r.method.as_str(), r.path.as_str(), r.query.as_deref()), ("GET", "/api/v2/conversations", None));
    assert_common_headers(&r);
    assert_no_body(&r);
}

#[tokio::test]
async fn list_sends_the_seed_filters_only_when_asked() {
    let server = RecordingServer::aihub();
    let query = ListQuery { sort_key: Some(SortKey::UpdatedAt), ascending: Some(false), search: Some("q 3/é".into()) };
    client(&server).list_conversations(&query).await.unwrap();
    let [r] = server.requests().try_into().unwrap();
    assert_eq!(r.query.as_deref(), Some("sort_key=updated_at&sort_is_ascending=false&search_string=q%203/%C3%A9"));
}

#[tokio::test]
async fn status_percent_encodes_the_id_fully() {
    let server = RecordingServer::aihub();
    let conv = client(&server).get_conversation("a/b c").await.unwrap();
    assert_eq!(conv.documents.unwrap()[0].id, Some(15));
    let [r] = server.requests().try_into().unwrap();
    assert_eq!((r.method.as_str(), r.path.as_str()), ("GET", "/api/v2/conversations/a%2Fb%20c"));
    assert_no_body(&r);
}

#[tokio::test]
async fn update_puts_values_in_the_query_with_percent_20_and_no_body() {
    let server = RecordingServer::aihub();
    let c = client(&server);
    c.update_conversation("c1", Some("New name & x"), Some("desc/é")).await.unwrap();
    c.update_conversation("c1", Some("Only name"), None).await.unwrap();
    c.update_conversation("c1", None, Some("d")).await.unwrap();
    let [both, name, desc] = server.requests().try_into().unwrap();
    assert_eq!((both.method.as_str(), both.path.as_str()), ("PUT", "/api/v2/conversations/c1"));
    assert_eq!(both.query.as_deref(), Some("name=New%20name%20%26%20x&description=desc/%C3%A9"));
    assert_eq!(both.header("content-length"), Some("0"));
    assert_no_body(&both);
    assert_common_headers(&both);
    assert_eq!(name.query.as_deref(), Some("name=Only%20name"));
    assert_eq!(desc.query.as_deref(), Some("description=d"));
}

#[tokio::test]
async fn delete_conversation_sends_no_body_and_accepts_204() {
    let server = RecordingServer::aihub();
    client(&server).delete_conversation("c1").await.unwrap();
    let [r] = server.requests().try_into().unwrap();
    assert_eq!((r.method.as_str(), r.path.as_str(), r.query.as_deref()), ("DELETE", "/api/v2/conversations/c1", None));
    assert_no_body(&r);
    assert_eq!(r.header("content-length"), None);
}

#[tokio::test]
async fn add_documents_sends_process_files_first_then_the_files() {
    let server = RecordingServer::aihub();
    let dir = tempfile::tempdir().unwrap();
    let paths = files(&dir, &[("c.pdf", &folio_aihub::tiny_pdf(1)), ("d.txt", b"dd")]);
    let c = client(&server);
    let added = c.add_documents("c1", &paths, true).await.unwrap();
    assert_eq!(added.upload_status.unwrap().success.unwrap()[1].name.as_deref(), Some("d.txt"));
    c.add_documents("c1", &paths[..1], false).await.unwrap();

    let [check, post, _check2, post_no] = server.requests().try_into().unwrap();
    // The 100-documents rule needs the current count: one GET before each upload.
    assert_eq!((check.method.as_str(), check.path.as_str()), ("GET", "/api/v2/conversations/c1"));
    assert_eq!((post.method.as_str(), post.path.as_str()), ("POST", "/api/v2/conversations/c1/documents"));
    assert_common_headers(&post);
    assert_eq!(post.fields(), fields(&[("process_files", "True")]));
    assert_eq!(post.parts()[0].name, "process_files");
    assert_eq!(post.filenames(), vec!["c.pdf", "d.txt"]);
    assert!(post.parts()[1..].iter().all(|p| p.name == "files"));
    assert_eq!(post_no.fields(), fields(&[("process_files", "False")]));
}

#[tokio::test]
async fn delete_documents_sends_ids_as_a_comma_list_without_body() {
    let server = RecordingServer::aihub();
    client(&server).delete_documents("c1", &[15, 16]).await.unwrap();
    let [r] = server.requests().try_into().unwrap();
    assert_eq!((r.method.as_str(), r.path.as_str()), ("DELETE", "/api/v2/conversations/c1/documents"));
    assert_eq!(r.query.as_deref(), Some("ids=15,16"));
    assert_no_body(&r);
}

#[tokio::test]
async fn delete_documents_falls_back_to_the_json_body_when_the_query_form_is_refused() {
    let server = RecordingServer::start(|r| match (r.method.as_str(), r.query.is_some()) {
        ("DELETE", true) => Reply::json(422, json!({"message": "ids must be in the body"})),
        ("DELETE", false) => Reply::empty(204),
        _ => Reply::empty(500),
    });
    client(&server).delete_documents("c1", &[15, 16]).await.unwrap();
    let [first, second] = server.requests().try_into().unwrap();
    assert_eq!(first.query.as_deref(), Some("ids=15,16"));
    assert_eq!((second.method.as_str(), second.query.as_deref()), ("DELETE", None));
    assert_eq!(second.media_type().as_deref(), Some("application/json"));
    assert_eq!(second.json(), Some(&json!({"ids": [15, 16]})));
}

#[tokio::test]
async fn delete_documents_does_not_fall_back_on_auth_or_missing() {
    let server = RecordingServer::start(|_| Reply::json(404, json!({"message": "Conversation c1 not found"})));
    let err = client(&server).delete_documents("c1", &[15]).await.unwrap_err();
    assert_eq!(err.kind(), folio_core::ErrorKind::NotFound);
    assert!(err.to_string().contains("Conversation c1 not found"));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn metadata_uses_the_integer_document_id_in_the_path() {
    let server = RecordingServer::aihub();
    let meta = client(&server).document_metadata("c 1", 15).await.unwrap();
    assert_eq!(meta.id, Some(15));
    let [r] = server.requests().try_into().unwrap();
    assert_eq!((r.method.as_str(), r.path.as_str()), ("GET", "/api/v2/conversations/c%201/documents/15"));
    assert_common_headers(&r);
    assert_no_body(&r);
}

#[tokio::test]
async fn converse_posts_json_with_integer_ids_mode_and_fast_mode() {
    let server = RecordingServer::aihub();
    let c = client(&server);
    let answer = c.converse("c1", "What?", &[15], ConverseMode::Default, false).await.unwrap();
    assert_eq!(answer.answer.as_deref(), Some("The term is 12 months."));
    c.converse("c1", "Why?", &[15, 16], ConverseMode::Advanced, true).await.unwrap();
    let [a, b] = server.requests().try_into().unwrap();
    assert_eq!((a.method.as_str(), a.path.as_str()), ("POST", "/api/v2/conversations/c1/prompts"));
    assert_common_headers(&a);
    assert_eq!(a.media_type().as_deref(), Some("application/json"));
    assert_eq!(
        a.json(),
        Some(&json!({"question": "What?", "document_ids": [15], "mode": "default", "fast_mode": false}))
    );
    assert_eq!(
        b.json(),
        Some(&json!({"question": "Why?", "document_ids": [15, 16], "mode": "advanced", "fast_mode": true}))
    );
}

#[tokio::test]
async fn run_query_always_sends_model_name_and_the_source_app() {
    let server = RecordingServer::aihub();
    let c = client(&server);
    let run =
        c.run_query("Q?", &QuerySource::Chatbot("bot-uuid".into()), Some(QueryModel::Multistep), true).await.unwrap();
    assert_eq!(run.query_id, "query-1");
    c.run_query("Q2", &QuerySource::Conversation("c1".into()), None, false).await.unwrap();
    c.run_query("Q3", &QuerySource::Chatbot("b".into()), Some(QueryModel::MultistepLite), false).await.unwrap();
    let [a, b, l] = server.requests().try_into().unwrap();
    assert_eq!((a.method.as_str(), a.path.as_str()), ("POST", "/api/v2/queries"));
    assert_common_headers(&a);
    assert_eq!(a.media_type().as_deref(), Some("application/json"));
    assert_eq!(
        a.json(),
        Some(
            &json!({"query": "Q?", "model_name": "multistep", "include_source_info": true, "source_app": {"type": "CHATBOT", "id": "bot-uuid"}})
        )
    );
    assert_eq!(
        b.json(),
        Some(
            &json!({"query": "Q2", "model_name": "multistep-lite", "include_source_info": false, "source_app": {"type": "CONVERSE", "id": "c1"}})
        )
    );
    assert_eq!(l.json().unwrap()["model_name"], "multistep-lite");
}

#[tokio::test]
async fn query_status_gets_the_query_and_reads_float_pages() {
    let server = RecordingServer::aihub();
    let status = client(&server).query_status("query-1").await.unwrap();
    assert_eq!(status.status, "COMPLETE");
    let results = status.results.unwrap();
    let page = &results[0].source_documents.as_ref().unwrap()[0].pages.as_ref().unwrap()[0];
    assert_eq!(page.page(), Some(9));
    let [r] = server.requests().try_into().unwrap();
    assert_eq!((r.method.as_str(), r.path.as_str()), ("GET", "/api/v2/queries/query-1"));
    assert_no_body(&r);
}

#[tokio::test]
async fn a_trailing_slash_in_the_api_root_gives_one_slash() {
    let server = RecordingServer::aihub();
    let mut cfg = config(&server);
    cfg.api_root = format!("{}/", server.api_root());
    AiHubClient::new(cfg).unwrap().get_conversation("c1").await.unwrap();
    assert_eq!(server.requests()[0].path, "/api/v2/conversations/c1");
}

#[tokio::test]
async fn any_2xx_is_success_and_empty_bodies_are_not_parsed() {
    let server = RecordingServer::start(|r| match r.method.as_str() {
        "POST" if r.path.ends_with("/documents") => Reply::empty(204),
        "POST" => Reply::json(200, json!({"id": "c9", "name": "n"})),
        "GET" => Reply::json(200, json!({"id": "c9", "name": "n", "state": "COMPLETE"})),
        _ => Reply::empty(200),
    });
    let dir = tempfile::tempdir().unwrap();
    let paths = files(&dir, &[("a.txt", b"a")]);
    let c = client(&server);
    assert_eq!(
        c.create_conversation(&CreateRequest { name: "n".into(), ..Default::default() }, &paths).await.unwrap().id,
        "c9"
    );
    assert_eq!(c.add_documents("c9", &paths, true).await.unwrap().upload_status, None);
    c.update_conversation("c9", Some("x"), None).await.unwrap();
    c.delete_conversation("c9").await.unwrap();
}
