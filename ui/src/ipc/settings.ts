import type {
  AiHubSettings,
  AiriaSettings,
  LanguageModelSettings,
  PiecesSettings,
  SecretName,
  Settings,
} from './bindings';
import { call } from './invoke';

export const getSettings = () => call<Settings>('get_settings');

/** Saves and returns the settings as Folio stored them (trimmed, blanks cleared). */
export const saveSettings = (settings: Settings) => call<Settings>('save_settings', { settings });

/** Stores a token or key in the OS keychain; an empty value removes it. */
export const setSecret = (name: SecretName, value: string) => call<void>('set_secret', { name, value });

/** Whether a secret is stored. The secret itself never comes back to the UI. */
export const hasSecret = (name: SecretName) => call<boolean>('has_secret', { name });

/** Tries a language-model choice; resolves with what answers will use, or fails saying why. */
export const testLanguageModel = (choice: LanguageModelSettings) => call<string>('test_language_model', { choice });

/** Ollama's models at an address (its default when null), or null when it is not running. */
export const listOllamaModels = (endpoint: string | null) => call<string[] | null>('list_ollama_models', { endpoint });

/** Tries AI Hub with these account settings and the saved token. */
export const testAihubConnection = (aihub: AiHubSettings) => call<string>('test_aihub_connection', { aihub });

/** Tries Airia with these settings and the saved key or token. */
export const testAiriaConnection = (airia: AiriaSettings) => call<string>('test_airia_connection', { airia });

/** Finds Pieces OS and says which model Folio will ask, or why it cannot. */
export const testPiecesConnection = (pieces: PiecesSettings) => call<string>('test_pieces_connection', { pieces });
