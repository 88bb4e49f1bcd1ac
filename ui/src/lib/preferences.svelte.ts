// The few settings the window itself acts on (light or dark, whether the built-in model
// may be offered, which backend and model provider answer), read once at start and
// written back one field at a time, so changing one never saves a half-edited
// Settings form along with it.
import {
  getSettings,
  saveSettings,
  type Appearance,
  type BackendChoice,
  type ModelProvider,
  type Settings,
} from '../ipc';

const darkScheme = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;

/** Light or dark on the page itself: the app's colours follow html[data-theme]. */
export function applyTheme(appearance: Appearance) {
  const dark = appearance === 'dark' || (appearance === 'system' && !!darkScheme?.matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

class Preferences {
  appearance = $state<Appearance>('system');
  modelOfferDismissed = $state(false);
  backend = $state<BackendChoice>('local');
  provider = $state<ModelProvider>('automatic');
  loaded = $state(false);

  constructor() {
    darkScheme?.addEventListener('change', () => this.appearance === 'system' && applyTheme('system'));
  }

  async load() {
    try {
      this.take(await getSettings());
    } catch {
      // Defaults: the system's colours, and the offer may be shown.
    } finally {
      this.loaded = true;
    }
  }

  /** After the Settings form saved: its values are the ones in force. */
  take(settings: Settings) {
    this.appearance = settings.appearance;
    this.modelOfferDismissed = settings.modelOfferDismissed;
    this.backend = settings.activeBackend;
    this.provider = settings.languageModel.provider;
    applyTheme(this.appearance);
  }

  async setAppearance(appearance: Appearance) {
    this.appearance = appearance;
    applyTheme(appearance);
    await this.update((s) => ({ ...s, appearance }));
  }

  async dismissModelOffer() {
    this.modelOfferDismissed = true;
    await this.update((s) => ({ ...s, modelOfferDismissed: true }));
  }

  private async update(change: (s: Settings) => Settings) {
    const stored = await getSettings();
    await saveSettings(change(stored));
  }
}

export const preferences = new Preferences();
