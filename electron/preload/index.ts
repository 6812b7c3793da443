import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_KEY, createBridge } from './bridge';

// Sandboxed preload: the page gets exactly invoke/subscribe, never ipcRenderer itself.
contextBridge.exposeInMainWorld(BRIDGE_KEY, createBridge(ipcRenderer));
