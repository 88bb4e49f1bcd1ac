//! Every AI Hub operation over real HTTP against the real local engine: status codes,
//! field names and casing, states, and JSON errors, as the contract describes them.

mod common;

use common::{error, form, json, Served, NOTES, README, TABLE};
use serde_json::{json, Value};

async fn create(s: &Served, name: &str, files: &[(&str, &[u8])]) -> Value {
    let response = s
        .post("/v2/conversations")
        .multipart(form(
            &[
                ("name", name),
                ("description", "About Heron"),
                ("enable_object_detection", "True"),
                ("fast_mode", "False"),
            ],
            files,
        ))
        .send()
        .await
        .unwrap();
    let (status, body) = json(response).await;
    assert_eq!(status, 201, "{body}");
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conversations_and_documents_round_trip_with_ai_hub_shapes() {
    let s = Served::start().await;
    let created = create(&s, "Heron", &[("notes.txt", NOTES), ("readme.md", README)]).await;
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["name"], "Heron");
    assert_eq!(
        created["upload_status"],
        json!({"success": [{"name": "notes.txt"}, {"name": "readme.md"}], "failure": []})
    );

    let conversation = s.wait_complete(&id).await;
    assert_eq!(conversation["name"], "Heron");
    assert_eq!(conversation["description"], "About Heron");
    let docs = conversation["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 2);
    for doc in docs {
        assert!(doc["id"].is_i64(), "document ids are integers: {doc}");
        assert_eq!(doc["state"], "PROCESSED", "{doc}");
        let stamp = doc["uploadTimestamp"].as_str().unwrap_or_else(|| panic!("camelCase uploadTimestamp: {doc}"));
        chrono::DateTime::parse_from_rfc3339(stamp).unwrap();
        assert!(doc.get("upload_timestamp").is_none());
    }
    let first = docs[0]["id"].as_i64().unwrap();

    // Metadata.
    let (status, meta) = json(s.get(&format!("/v2/conversations/{id}/documents/{first}")).send().await.unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(meta["id"], first);
    assert_eq!(meta["name"], "notes.txt");
    // The stored copy's place in the data folder, never this computer's folders.
    let ibdoc = meta["ibdoc_path"].as_str().unwrap();
    assert!(ibdoc.starts_with("files/") && ibdoc.split('/').count() == 3, "{ibdoc}");
    let temp = std::env::temp_dir();
    assert!(!meta.to_string().contains(temp.to_str().unwrap().trim_end_matches('/')), "no local path: {meta}");
    // Seed 001's shape: one entry per page, each with its layout; Folio's facts follow.
    let pages = meta["metadata"].as_array().unwrap();
    assert_eq!(pages.len() as u64, meta["folio"]["pageCount"].as_u64().unwrap(), "{meta}");
    for (i, page) in pages.iter().enumerate() {
        let layout = &page["layout"];
        assert_eq!(layout["original_page_number"], i, "{meta}");
        // A text file has no page geometry in Folio: its size is 0 (PDFs give points).
        assert!(layout["width"].is_number() && layout["height"].is_number(), "{meta}");
        for key in ["corrected_rotation", "is_image_page", "processed_image_path", "origin_pos"] {
            assert!(layout.get(key).is_some(), "{key} in {layout}");
        }
    }
    let mut keys: Vec<&str> = meta.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["folio", "ibdoc_path", "id", "metadata", "name"], "AI Hub's keys and Folio's `folio`");

    // Update: values in the query string, 204 with an empty body.
    let response =
        s.put(&format!("/v2/conversations/{id}?name=Heron%20%26%20co&description=desc/%C3%A9")).send().await.unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(response.text().await.unwrap(), "");
    let (_, conversation) = json(s.get(&format!("/v2/conversations/{id}")).send().await.unwrap()).await;
    assert_eq!(
        (conversation["name"].as_str(), conversation["description"].as_str()),
        (Some("Heron & co"), Some("desc/é"))
    );

    // Add documents, without and with processing.
    let response = s
        .post(&format!("/v2/conversations/{id}/documents"))
        .multipart(form(&[("process_files", "True")], &[("table.csv", TABLE), ("table2.csv", TABLE)]))
        .send()
        .await
        .unwrap();
    let (status, added) = json(response).await;
    assert_eq!(status, 201, "{added}");
    assert_eq!(
        added,
        json!({"upload_status": {"success": [{"name": "table.csv"}, {"name": "table2.csv"}], "failure": []}})
    );
    let conversation = s.wait_complete(&id).await;
    let ids: Vec<i64> =
        conversation["documents"].as_array().unwrap().iter().map(|d| d["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 4);

    // Delete documents: the SDK's ?ids= form, then the seed's JSON body.
    let response =
        s.delete(&format!("/v2/conversations/{id}/documents?ids={},{}", ids[2], ids[3])).send().await.unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(response.text().await.unwrap(), "");
    let response = s
        .delete(&format!("/v2/conversations/{id}/documents"))
        .header("content-type", "application/json")
        .body(json!({"ids": [ids[1]]}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let (_, conversation) = json(s.get(&format!("/v2/conversations/{id}")).send().await.unwrap()).await;
    let left: Vec<i64> =
        conversation["documents"].as_array().unwrap().iter().map(|d| d["id"].as_i64().unwrap()).collect();
    assert_eq!(left, vec![ids[0]]);

    // Deleting a document that is not there is a JSON 404; no ids at all a 400.
    let (status, message) =
        error(s.delete(&format!("/v2/conversations/{id}/documents?ids=999999")).send().await.unwrap()).await;
    assert_eq!(status, 404, "{message}");
    let (status, message) = error(s.delete(&format!("/v2/conversations/{id}/documents")).send().await.unwrap()).await;
    assert_eq!(status, 400, "{message}");
    assert!(message.contains("ids"), "{message}");

    // Delete the conversation: 204, then 404 as JSON.
    let response = s.delete(&format!("/v2/conversations/{id}")).send().await.unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(response.text().await.unwrap(), "");
    let (status, message) = error(s.get(&format!("/v2/conversations/{id}")).send().await.unwrap()).await;
    assert_eq!(status, 404);
    assert!(message.contains(&id), "{message}");
    // Its stored copies went with it, and no upload was left behind in staging.
    assert_eq!(s.stored_files(), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_sorts_and_searches_as_the_seed_says() {
    let s = Served::start().await;
    let mut ids = Vec::new();
    for name in ["Alpha budget", "Beta", "Gamma budget"] {
        ids.push(create(&s, name, &[]).await["id"].as_str().unwrap().to_string());
    }
    // Touch the first so that it is the most recently updated.
    assert_eq!(s.put(&format!("/v2/conversations/{}?description=touched", ids[0])).send().await.unwrap().status(), 204);

    let names = |body: &Value| -> Vec<String> {
        body["conversations"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_string()).collect()
    };
    let (status, all) = json(s.get("/v2/conversations").send().await.unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(names(&all), ["Gamma budget", "Beta", "Alpha budget"], "newest first by default");
    assert_eq!(all["conversations"][1], json!({"id": ids[1], "name": "Beta", "description": "About Heron"}));

    let (_, asc) =
        json(s.get("/v2/conversations?sort_key=created_at&sort_is_ascending=true").send().await.unwrap()).await;
    assert_eq!(names(&asc), ["Alpha budget", "Beta", "Gamma budget"]);
    let (_, updated) =
        json(s.get("/v2/conversations?sort_key=updated_at&sort_is_ascending=False").send().await.unwrap()).await;
    assert_eq!(names(&updated)[0], "Alpha budget");
    let (_, found) = json(s.get("/v2/conversations?search_string=budget").send().await.unwrap()).await;
    assert_eq!(names(&found), ["Gamma budget", "Alpha budget"]);
    let (_, none) = json(s.get("/v2/conversations?search_string=nothing%20like%20it").send().await.unwrap()).await;
    assert_eq!(none, json!({"conversations": []}));

    let (status, message) = error(s.get("/v2/conversations?sort_key=name").send().await.unwrap()).await;
    assert_eq!(status, 400);
    assert!(message.contains("sort_key"), "{message}");
    let (status, _) = error(s.get("/v2/conversations?sort_is_ascending=sideways").send().await.unwrap()).await;
    assert_eq!(status, 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_with_wrong_values_are_json_errors_with_the_right_status() {
    let s = Served::start().await;
    let id = create(&s, "Errors", &[("notes.txt", NOTES)]).await["id"].as_str().unwrap().to_string();

    let cases: Vec<(reqwest::RequestBuilder, u16, &str)> = vec![
        (s.post("/v2/conversations").multipart(form(&[("description", "no name")], &[])), 400, "name"),
        (
            s.post("/v2/conversations").multipart(form(&[("name", "n"), ("fast_mode", "perhaps")], &[])),
            400,
            "fast_mode",
        ),
        (
            s.post(&format!("/v2/conversations/{id}/documents")).multipart(form(&[("process_files", "True")], &[])),
            400,
            "files",
        ),
        (s.post("/v2/conversations/nope/documents").multipart(form(&[], &[("a.txt", NOTES)])), 404, "nope"),
        (s.get(&format!("/v2/conversations/{id}/documents/abc")), 400, "integer"),
        (s.get(&format!("/v2/conversations/{id}/documents/424242")), 404, "424242"),
        (s.put(&format!("/v2/conversations/{id}?name=")), 400, "name"),
        (s.put("/v2/conversations/nope?name=x"), 404, "nope"),
        (s.delete("/v2/conversations/nope"), 404, "nope"),
        (s.get("/v2/chatbots"), 404, "endpoint"),
        (s.http.patch(s.url("/v2/conversations")).bearer_auth(common::TOKEN), 405, "PATCH"),
        (s.post(&format!("/v2/conversations/{id}/prompts")).body(r#"{"document_ids": [1]}"#), 400, "question"),
        (
            s.post("/v2/queries").body(r#"{"query": "q", "source_app": {"type": "APP", "id": "x"}}"#),
            400,
            "source_app.type",
        ),
        (
            s.post("/v2/queries")
                .body(r#"{"query": "q", "model_name": "gpt", "source_app": {"type": "CHATBOT", "id": "x"}}"#),
            400,
            "model_name",
        ),
    ];
    for (request, expected, word) in cases {
        let (status, message) = error(request.send().await.unwrap()).await;
        assert_eq!(status, expected, "{message}");
        assert!(message.contains(word), "{expected}: {message:?} should mention {word:?}");
    }
    // The conversation is untouched by all of that.
    let conversation = s.wait_complete(&id).await;
    assert_eq!(conversation["documents"].as_array().unwrap().len(), 1);
}

/// Prompts and queries are parsed and forwarded to the backend; the local engine answers
/// them with issue 5. Until then it says so, and the client gets that message as JSON
/// with 501 (Not Implemented), not a crash or an HTML page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prompts_and_queries_reach_the_engine_and_its_answer_is_relayed() {
    let s = Served::start().await;
    let id = create(&s, "Ask", &[("notes.txt", NOTES)]).await["id"].as_str().unwrap().to_string();
    let conversation = s.wait_complete(&id).await;
    let doc = conversation["documents"][0]["id"].as_i64().unwrap();

    let engine_answers = {
        let probe = folio_engine::Engine::open(
            &s.root.path().join("probe"),
            folio_engine::EngineSettings { start_workers: false, ..Default::default() },
        )
        .unwrap();
        let answer = folio_core::Backend::converse(
            &probe,
            "none",
            &folio_core::ConverseRequest { question: "q".into(), ..Default::default() },
        )
        .await;
        !matches!(answer, Err(folio_core::Error::Unsupported(_)))
    };

    let prompt = s
        .post(&format!("/v2/conversations/{id}/prompts"))
        .json(&json!({"question": "When is the kickoff meeting?", "document_ids": [doc], "mode": "default", "fast_mode": false}))
        .send()
        .await
        .unwrap();
    let query = s
        .post("/v2/queries")
        .json(&json!({"query": "Who owns the budget?", "model_name": "multistep", "include_source_info": true, "source_app": {"type": "CONVERSE", "id": id}}))
        .send()
        .await
        .unwrap();
    if engine_answers {
        let (status, body) = json(prompt).await;
        assert_eq!(status, 200, "{body}");
        assert!(
            body["prompt_id"].is_string()
                && body["answer"].as_str().is_some_and(|a| a.to_lowercase().contains("march")),
            "{body}"
        );
        let (status, body) = json(query).await;
        assert_eq!(status, 202, "{body}");
        assert!(body["query_id"].is_string(), "{body}");
    } else {
        for response in [prompt, query] {
            let (status, message) = error(response).await;
            assert_eq!(status, 501, "{message}");
            assert!(message.contains("engine"), "{message}");
        }
        let (status, message) = error(s.get("/v2/queries/some-query").send().await.unwrap()).await;
        assert_eq!(status, 501, "{message}");
    }
    s.still_serving().await;
}
