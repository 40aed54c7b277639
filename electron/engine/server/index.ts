// OpenAI-compatible server backend (vLLM, SGLang, Ollama, llama-server).
export { createServerBackend, type ServerBackend, type ServerBackendOptions } from './backend';
export { normalizeBaseUrl, type ServerHealth } from './api';
export { createPool, type Pool } from './pool';
export { createImageCache, type ImageCache } from './image-cache';
