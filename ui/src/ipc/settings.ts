import type { Settings } from './bindings';
import { call } from './invoke';

export const getSettings = () => call<Settings>('get_settings');

/** Saves and returns the settings as Folio stored them (trimmed, blanks cleared). */
export const saveSettings = (settings: Settings) => call<Settings>('save_settings', { settings });

/** Stores the token in the OS keychain; an empty token removes it. */
export const setAihubToken = (token: string) => call<void>('set_aihub_token', { token });

/** Whether a token is stored. The token itself never comes back to the UI. */
export const hasAihubToken = () => call<boolean>('has_aihub_token');
