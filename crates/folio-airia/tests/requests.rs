//! Every operation against a recording server on loopback: method, raw path, headers
//! (the one credential, a fresh correlation id, content type) and the exact JSON body.

mod common;

use common::*;
use folio_airia::testkit::{RecordedBody, RecordingServer};
use folio_airia::wire::PipelineExecutionRequest;
use folio_airia::{AiriaClient, AiriaConfig, Auth, Secret};
use serde_json::json;

#[tokio::test]
async fn create_sends_the_sdk_body_with_the_api_key() {
    let server = RecordingServer::airia();
    let client = AiriaClient::new(config(&server.base_url()).with_deployment(Some("dep-1".into()))).unwrap();
    let created = client.create_conversation(&client.new_conversation(Some("Manuals".into()))).await.unwrap();
    assert_eq!(created.conversation_id, "a1b2c3d4-0000-4000-8000-000000000001");
    let r = &server.requests()[0];
    assert_eq!((r.method.as_str(), r.path.as_str(), r.query.as_deref()), ("POST", "/api/v1/Conversations", None));
    assert_eq!(r.header("x-api-key"), Some(KEY));
    assert_eq!(r.header("authorization"), None, "never both credentials");
    assert!(is_uuid(r.header("x-correlation-id").unwrap()));
    assert_eq!(r.media_type().as_deref(), Some("application/json"));
    assert_eq!(
        r.body,
        RecordedBody::Json(
            json!({"userId": "user-1", "title": "Manuals", "deploymentId": "dep-1", "dataSourceFiles": {}, "isBookmarked": false})
        )
    );
}

#[tokio::test]
async fn unset_create_fields_are_explicit_nulls() {
    let server = RecordingServer::airia();
    let client = client(&server);
    client.create_conversation(&client.new_conversation(None)).await.unwrap();
    let body = server.requests()[0].json().cloned().unwrap();
    assert_eq!(
        body,
        json!({"userId": "user-1", "title": null, "deploymentId": null, "dataSourceFiles": {}, "isBookmarked": false})
    );
}

#[tokio::test]
async fn a_bearer_token_goes_in_authorization_only() {
    let server = RecordingServer::airia();
    let config = AiriaConfig::new(server.base_url(), Auth::Bearer(Secret::new("tok-987654")), "u", "pipe-1");
    AiriaClient::new(config).unwrap().get_conversation("c1").await.unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.header("authorization"), Some("Bearer tok-987654"));
    assert_eq!(r.header("x-api-key"), None);
}

#[tokio::test]
async fn get_and_delete_have_no_body_and_the_id_in_the_path() {
    let server = RecordingServer::airia();
    let client = client(&server);
    let conversation = client.get_conversation("conv-7").await.unwrap();
    assert_eq!(conversation.messages.len(), 2);
    assert_eq!(conversation.messages[1].message.as_deref(), Some("Like this [1]."));
    client.delete_conversation("conv-7").await.unwrap();
    let rs = server.requests();
    assert_eq!((rs[0].method.as_str(), rs[0].path.as_str()), ("GET", "/api/v1/Conversations/conv-7"));
    assert_eq!((rs[1].method.as_str(), rs[1].path.as_str()), ("DELETE", "/api/v1/Conversations/conv-7"));
    for r in &rs {
        assert_eq!(r.body, RecordedBody::Empty);
        assert_eq!(r.header("content-type"), None);
        assert_eq!(r.header("x-api-key"), Some(KEY));
    }
    assert_ne!(rs[0].header("x-correlation-id"), rs[1].header("x-correlation-id"), "one correlation id per request");
}

#[tokio::test]
async fn a_chat_turn_sends_every_pipeline_key() {
    let server = RecordingServer::airia();
    let client = client(&server);
    let answer = client.execute(&client.chat_turn(Some("conv-7"), "What is the range?", false)).await.unwrap();
    assert_eq!(answer.result.as_deref(), Some("The range is set with range [1]."));
    let r = &server.requests()[0];
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/api/v2/PipelineExecution/pipe-1"));
    assert_eq!(
        r.json().unwrap(),
        &json!({
            "userInput": "What is the range?", "debug": false, "userId": "user-1", "conversationId": "conv-7",
            "asyncOutput": false, "includeToolsResponse": false, "images": null, "files": null,
            "dataSourceFolders": null, "dataSourceFiles": null, "inMemoryMessages": null, "currentDateTime": null,
            "saveHistory": true, "additionalInfo": null, "promptVariables": null, "voiceEnabled": false,
            "outputConfiguration": null
        })
    );
}

#[tokio::test]
async fn the_base_url_follows_urljoin() {
    let server = RecordingServer::airia();
    let without_slash = format!("http://{}/api", server.addr);
    AiriaClient::new(config(&without_slash)).unwrap().get_conversation("c1").await.unwrap();
    let nested = format!("http://{}/tenant/api/", server.addr);
    AiriaClient::new(config(&nested)).unwrap().get_conversation("c1").await.unwrap();
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/v1/Conversations/c1", "/tenant/api/v1/Conversations/c1"]);
}

#[tokio::test]
async fn bad_ids_and_settings_are_refused_before_anything_is_sent() {
    let server = RecordingServer::airia();
    let client = client(&server);
    let err = client.get_conversation("a/b").await.unwrap_err();
    assert!(err.to_string().contains("conversation id \"a/b\" is not valid"), "{err}");
    let err = client.execute(&PipelineExecutionRequest::new("  ")).await.unwrap_err();
    assert!(err.to_string().contains("question is empty"), "{err}");
    assert!(server.requests().is_empty());
    let err = AiriaClient::new(AiriaConfig::new("api.airia.ai", Auth::ApiKey(Secret::new("k")), "u", "p")).unwrap_err();
    assert!(err.to_string().contains("must start with https://"), "{err}");
    let err = AiriaClient::new(AiriaConfig::new("https://x/", Auth::ApiKey(Secret::new("k")), " ", "p")).unwrap_err();
    assert!(err.to_string().contains("user id"), "{err}");
}
