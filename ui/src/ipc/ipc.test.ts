// The ipc layer against Tauri's IPC mock: the command names and argument shapes the
// Rust side expects, and errors arriving as typed FolioErrors.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import { describe as describeError, FolioError } from './errors';
import { getSettings, hasSecret, saveSettings, setSecret } from './settings';
import { getAppInfo } from './app';
import { deliverPaths, fileName, listenForDrops, onDragHover, onPathsDelivered, pickFiles } from './files';
import type { Settings } from './bindings';

const settings: Settings = {
  activeBackend: 'local',
  aihub: {
    apiRoot: 'https://aihub.instabase.com/api',
    ibContext: null,
    org: null,
    workspace: null,
    processing: {
      objectDetection: false,
      entityDetection: false,
      convertedImages: false,
      thumbnails: false,
      fastMode: false,
      multilanguage: false,
      multilanguageAdvanced: false,
    },
  },
  languageModel: { provider: 'automatic', endpoint: null, model: null },
  airia: { baseUrl: 'https://api.airia.ai/', auth: 'apiKey', userId: null, pipelineId: null, deploymentId: null },
  pieces: { address: null, model: null },
  appearance: 'system',
  modelOfferDismissed: false,
};

afterEach(() => clearMocks());

describe('commands', () => {
  it('calls the Rust commands by name with their arguments', async () => {
    const calls: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === 'get_settings') return settings;
      if (cmd === 'save_settings') return (args as { settings: Settings }).settings;
      if (cmd === 'has_secret') return true;
      if (cmd === 'get_app_info')
        return { name: 'Folio', version: '0.1.0', identifier: 'x', dataDir: '/d', os: 'linux' };
      return null;
    });
    expect(await getSettings()).toEqual(settings);
    const changed = { ...settings, activeBackend: 'aiHub' as const };
    expect(await saveSettings(changed)).toEqual(changed);
    await setSecret('aihubToken', 'tok');
    expect(await hasSecret('aihubToken')).toBe(true);
    expect((await getAppInfo()).name).toBe('Folio');
    expect(calls.map(([cmd]) => cmd)).toEqual([
      'get_settings',
      'save_settings',
      'set_secret',
      'has_secret',
      'get_app_info',
    ]);
    expect(calls[1][1]).toEqual({ settings: changed });
    expect(calls[2][1]).toEqual({ name: 'aihubToken', value: 'tok' });
  });

  it('turns a {kind, message} rejection into a FolioError', async () => {
    mockIPC(() => {
      throw { kind: 'unavailable', message: 'No system keychain is available' };
    });
    const error = await hasSecret('aihubToken').catch((e) => e);
    expect(error).toBeInstanceOf(FolioError);
    expect(error.kind).toBe('unavailable');
    expect(describeError(error)).toBe('No system keychain is available. Please try again later.');
  });

  it('treats an unexpected rejection as an internal error', async () => {
    mockIPC(() => {
      throw 'boom';
    });
    const error = await getSettings().catch((e) => e);
    expect(error).toBeInstanceOf(FolioError);
    expect(error.kind).toBe('internal');
    expect(error.message).toBe('boom');
  });
});

describe('files', () => {
  it('delivers unique, non-blank paths to every listener', () => {
    const seen: string[][] = [];
    const off = onPathsDelivered((paths) => seen.push(paths));
    deliverPaths(['/a/x.pdf', '/a/x.pdf', ' ', '/b/y.txt']);
    deliverPaths([]);
    off();
    deliverPaths(['/c/z.pdf']);
    expect(seen).toEqual([['/a/x.pdf', '/b/y.txt']]);
  });

  it('the native picker delivers what was chosen through the same handler', async () => {
    mockIPC((cmd, args) => {
      if (cmd === 'plugin:dialog|open') {
        expect((args as { options: { multiple: boolean } }).options.multiple).toBe(true);
        return ['/docs/one.pdf', '/docs/two.docx'];
      }
    });
    const handler = vi.fn();
    const off = onPathsDelivered(handler);
    await pickFiles();
    off();
    expect(handler).toHaveBeenCalledWith(['/docs/one.pdf', '/docs/two.docx']);
  });

  it('a cancelled picker delivers nothing', async () => {
    mockIPC(() => null);
    const handler = vi.fn();
    const off = onPathsDelivered(handler);
    await pickFiles();
    off();
    expect(handler).not.toHaveBeenCalled();
  });

  it('a drop on the window delivers its paths, and hovering is reported', async () => {
    mockIPC(() => {}, { shouldMockEvents: true });
    (window as unknown as { __TAURI_INTERNALS__: { metadata: unknown } }).__TAURI_INTERNALS__.metadata = {
      currentWindow: { label: 'main' },
      currentWebview: { windowLabel: 'main', label: 'main' },
    };
    const paths = vi.fn();
    const hover: boolean[] = [];
    const offPaths = onPathsDelivered(paths);
    const offHover = onDragHover((h) => hover.push(h));
    const unlisten = await listenForDrops();
    await emit('tauri://drag-enter', { paths: ['/d/a.pdf'], position: { x: 1, y: 1 } });
    await emit('tauri://drag-drop', { paths: ['/d/a.pdf', '/d/b.pdf'], position: { x: 1, y: 1 } });
    unlisten();
    offPaths();
    offHover();
    expect(paths).toHaveBeenCalledWith(['/d/a.pdf', '/d/b.pdf']);
    expect(hover).toEqual([true, false]);
  });

  it('names files from any OS path', () => {
    expect(fileName('/home/a/Report.pdf')).toBe('Report.pdf');
    expect(fileName('C:\\Users\\a\\Notes.txt')).toBe('Notes.txt');
  });
});
