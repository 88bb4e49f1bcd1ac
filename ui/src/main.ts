import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { applyTheme } from './lib/preferences.svelte';

// The system's colours from the first paint; the saved Appearance follows once read.
applyTheme('system');

export default mount(App, { target: document.getElementById('app')! });
