//! Which language model answers: the person's choice (the app's Settings, or the CLI's
//! --llm flags) turned into what the local backend answers with. Automatic means: the
//! built-in model once one is installed, else Ollama when it runs on this computer, else
//! quoting, so nothing has to be set up before the first answer. The app and the CLI
//! both resolve through here, so they can never choose differently.

use crate::llm::ollama;
use crate::settings::{AnswerSettings, ProviderSettings};
use folio_core::{Error, LanguageModelSettings, ModelProvider, Result};
use folio_models::InstalledModel;

/// What answers will be written with, and the sentence that says so.
pub struct Resolved {
    pub settings: AnswerSettings,
    pub description: String,
}

const QUOTING: &str = "No language model: Folio answers by quoting your documents, with their pages.";

/// Resolves the choice. Errors say what is wrong with an explicit choice (Ollama not
/// running, a model it does not have, an OpenAI server without an address); Automatic
/// never fails, it falls back to quoting.
pub async fn resolve(
    choice: &LanguageModelSettings,
    openai_key: Option<String>,
    builtin: Option<&InstalledModel>,
) -> Result<Resolved> {
    let quoting = || Resolved { settings: AnswerSettings::default(), description: QUOTING.into() };
    match choice.provider {
        ModelProvider::None => Ok(quoting()),
        ModelProvider::Automatic => match builtin {
            Some(model) => Ok(built_in(model)),
            None => Ok(ollama_at(choice).await.unwrap_or_else(|_| quoting())),
        },
        ModelProvider::Ollama => ollama_at(choice).await,
        ModelProvider::OpenAi => {
            let base_url = choice.endpoint.clone().ok_or_else(|| {
                Error::InvalidInput("The OpenAI-compatible server needs its address, up to and including /v1".into())
            })?;
            let model = choice
                .model
                .clone()
                .ok_or_else(|| Error::InvalidInput("The OpenAI-compatible server needs the name of a model".into()))?;
            let description = format!("Answers are written by {model} at {base_url}.");
            let provider = ProviderSettings::OpenAi { base_url, model, api_key: openai_key };
            Ok(Resolved { settings: with_provider(provider), description })
        }
        ModelProvider::Builtin => builtin
            .map(built_in)
            .ok_or_else(|| Error::NotFound("No built-in model is installed yet: download one first".into())),
    }
}

fn built_in(model: &InstalledModel) -> Resolved {
    let description = format!("Answers are written by {} on this computer (Folio's built-in model).", model.name);
    Resolved { settings: with_provider(ProviderSettings::Builtin { model_path: model.path.clone() }), description }
}

/// Checks an explicit choice for real: the server answers and has the model.
pub async fn test(
    choice: &LanguageModelSettings,
    openai_key: Option<String>,
    builtin: Option<&InstalledModel>,
) -> Result<String> {
    let resolved = resolve(choice, openai_key, builtin).await?;
    let Some(provider) = crate::llm::provider(&resolved.settings) else { return Ok(resolved.description) };
    let models = provider.models().await.map_err(Error::from)?;
    let model = resolved.settings.provider.as_ref().map(|p| p.model().to_string()).unwrap_or_default();
    if !models.is_empty() && !models.iter().any(|m| m == &model || m.split(':').next() == Some(model.as_str())) {
        return Err(Error::NotFound(format!(
            "{} does not have the model {model}. It has: {}",
            provider.describe(),
            models.join(", ")
        )));
    }
    Ok(format!("Connected. {}", resolved.description))
}

async fn ollama_at(choice: &LanguageModelSettings) -> Result<Resolved> {
    let base_url = choice.endpoint.clone().unwrap_or_else(|| ollama::DEFAULT_URL.to_string());
    let models = ollama::detect(Some(&base_url)).await.ok_or_else(|| {
        Error::Unavailable(format!("Ollama is not running at {base_url}. Start Ollama, or choose another option"))
    })?;
    let model = match &choice.model {
        Some(model) => model.clone(),
        None => models.first().cloned().ok_or_else(|| {
            Error::NotFound(format!(
                "Ollama at {base_url} has no models yet. Run `ollama pull llama3.2`, then test again"
            ))
        })?,
    };
    let description = format!("Answers are written by {model} on Ollama at {base_url}.");
    Ok(Resolved { settings: with_provider(ProviderSettings::Ollama { base_url, model }), description })
}

fn with_provider(provider: ProviderSettings) -> AnswerSettings {
    AnswerSettings { provider: Some(provider), ..AnswerSettings::default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(provider: ModelProvider, endpoint: Option<&str>, model: Option<&str>) -> LanguageModelSettings {
        LanguageModelSettings { provider, endpoint: endpoint.map(String::from), model: model.map(String::from) }
    }

    #[test]
    fn automatic_falls_back_to_quoting_and_explicit_choices_say_what_is_wrong() {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
            // Nothing listens on this port: Automatic quotes, an explicit Ollama says so.
            let closed = {
                let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
                format!("http://{}", l.local_addr().unwrap())
            };
            let auto = resolve(&choice(ModelProvider::Automatic, Some(&closed), None), None, None).await.unwrap();
            assert!(auto.settings.provider.is_none());
            assert_eq!(auto.description, QUOTING);
            let err = resolve(&choice(ModelProvider::Ollama, Some(&closed), None), None, None).await.err().unwrap();
            assert!(err.to_string().contains("Ollama is not running"), "{err}");
            let err = resolve(&choice(ModelProvider::OpenAi, None, Some("m")), None, None).await.err().unwrap();
            assert!(err.to_string().contains("address"), "{err}");
            let ok = resolve(
                &choice(ModelProvider::OpenAi, Some("http://127.0.0.1:9/v1"), Some("m")),
                Some("k".into()),
                None,
            )
            .await
            .unwrap();
            assert_eq!(
                ok.settings.provider,
                Some(ProviderSettings::OpenAi {
                    base_url: "http://127.0.0.1:9/v1".into(),
                    model: "m".into(),
                    api_key: Some("k".into())
                })
            );

            // An installed built-in model wins in Automatic; asked for explicitly without one, it says so.
            let model = InstalledModel {
                id: "m".into(),
                name: "Tiny".into(),
                file_name: "tiny.gguf".into(),
                path: "/models/tiny.gguf".into(),
                size_bytes: 1,
                active: true,
            };
            let auto =
                resolve(&choice(ModelProvider::Automatic, Some(&closed), None), None, Some(&model)).await.unwrap();
            assert_eq!(
                auto.settings.provider,
                Some(ProviderSettings::Builtin { model_path: "/models/tiny.gguf".into() })
            );
            let err = resolve(&choice(ModelProvider::Builtin, None, None), None, None).await.err().unwrap();
            assert!(err.to_string().contains("No built-in model"), "{err}");
        });
    }
}
