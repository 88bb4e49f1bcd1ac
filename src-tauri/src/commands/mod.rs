//! Tauri commands, one module per domain. Each is a short adapter: parse, call, map
//! the error. Commands live in modules because `#[tauri::command]` at the crate
//! root collides with the macro's helpers (E0255).

pub mod app;
pub mod chat;
pub mod chatbots;
pub mod conversations;
pub mod export;
pub mod models;
pub mod script_access;
pub mod search;
pub mod settings;
pub mod viewer;
